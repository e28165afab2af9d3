"""A timeframe corrected after a report was published (a plan imported again with other
words, or the admin's correction): the report reads as published, and the live notice beside
it says the position changed, with the words before and after, how, by whom and when.

Every rule reads an action's timeframe as it is now, even as known at a moment before the
change, so only the frozen copy keeps the date the report was published with.
"""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from imports.layout import plan_rows, workbook
from imports.services import plan_import_confirm, plan_import_preview
from reports.services import changed_since_publication, quarterly_report_publish, report_content
from tests.html_forms import post_form

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END
from .test_views import page_text

LATER = datetime(2022, 11, 1, 9, tzinfo=LONDON)


@pytest.fixture
def report(plan):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)


def import_again(plan, people, timeframes, when=LATER):
    """The plan written out in the import layout, `timeframes` ({reference: words}) put in,
    and imported again by the plan administrator at `when`."""
    rows = plan_rows(plan["plan"])
    for row in rows:
        if row.get("reference") in timeframes and row.get("action"):
            row["timeframe"] = timeframes[row["reference"]]
    with time_machine.travel(when, tick=False):
        upload = plan_import_preview(
            file_name="corrected.xlsx",
            data=workbook(rows),
            plan_slug=plan["plan"].slug,
            user=people["admin"],
        )
        plan_import_confirm(plan_import=upload, user=people["admin"])


def changed_part(response):
    text = page_text(response)
    return text[text.index("Changed since publication") : text.index("1. Summary")]


@pytest.mark.django_db
def test_the_report_page_lists_a_timeframe_an_import_corrected_after_publication(
    client, plan, people, report
):
    client.force_login(people["scrutiny"])
    url = reverse("reports:detail", args=[report.pk])
    published = report_content(report)

    import_again(plan, people, {"1.2": "August 2022"})

    late = changed_part(client.get(url))
    assert "Entries made after this report was published (1 timeframe changed later)" in late
    assert (
        "1.2 Hold termly partnership meetings In progress; Green; due 31 March 2023 "
        "In progress; Green; due 31 August 2022; overdue" in late
    )
    assert (
        "Timeframe changed from “March 2023” to “August 2022” by Pat Admin on 1 November "
        "2022 at 09:00 (Imported from corrected.xlsx)." in late
    )
    # The report itself reads as published.
    again = report_content(type(report).objects.get(pk=report.pk))
    assert again.counts == published.counts
    assert again.positions == published.positions


@pytest.mark.parametrize(
    "when, late",
    [
        (PUBLISHED_AT - timedelta(microseconds=1), False),
        (PUBLISHED_AT, False),
        (PUBLISHED_AT + timedelta(microseconds=1), True),
    ],
    ids=["just before", "on", "just after"],
)
@pytest.mark.django_db
def test_a_timeframe_change_is_late_only_if_made_after_the_moment_of_publication(
    plan, people, when, late
):
    if not late:
        import_again(plan, people, {"1.2": "August 2022"}, when=when)
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    if late:
        import_again(plan, people, {"1.2": "August 2022"}, when=when)

    changes, counts = changed_since_publication(report)

    assert counts.timeframes == (1 if late else 0)
    assert [change.now.reference for change in changes] == (["1.2"] if late else [])


@pytest.mark.django_db
def test_an_import_that_keeps_the_words_changes_nothing(plan, people, report):
    import_again(plan, people, {"1.2": "March 2023"})

    changes, counts = changed_since_publication(report)

    assert (changes, counts.total) == ([], 0)


@pytest.mark.django_db
def test_the_dashboard_at_the_quarter_end_says_a_timeframe_changed_later_changed_it(
    client, plan, people, report
):
    client.force_login(people["scrutiny"])

    import_again(plan, people, {"1.2": "August 2022"})

    text = page_text(client.get(reverse("actions:dashboard"), {"as_at": "2022-09-30"}))
    assert "1 action’s position is different now (1 timeframe changed later)." in text
    assert "2 overdue, 1 more than at Quarter 2 2022/23" in text


@pytest.mark.django_db
def test_a_shared_timeframe_changed_on_its_own_page_after_publication_is_listed(
    client, plan, people, report
):
    people["admin"].is_superuser = True
    people["admin"].save()
    client.force_login(people["admin"])
    timeframe = plan["fine"].timeframe
    url = reverse("admin:actions_timeframe_change", args=[timeframe.pk])
    with time_machine.travel(LATER, tick=False):
        data = post_form(client.get(url).content.decode())
        data.update(label="August 2022", move_all="on")
        assert client.post(url, {**data, "_save": "Save"}).status_code == 302
    # Signed in again today: the admin's save kept the session as at its day.
    client.force_login(people["admin"])

    late = changed_part(client.get(reverse("reports:detail", args=[report.pk])))

    assert (
        "1.2 Hold termly partnership meetings In progress; Green; due 31 March 2023 "
        "In progress; Green; due 31 August 2022; overdue" in late
    )
    assert (
        "Timeframe changed from “March 2023” to “August 2022” by Pat Admin on 1 November "
        "2022 at 09:00 (Changed on the timeframe’s own page, for every action it times)." in late
    )
