"""A date to be confirmed, confirmed after a report was published: the report reads as
published (its stored words and counts never change), and the live notice beside it says the
position changed, with the date confirmed, for which words, why, by whom and when.

The story: Quarter 2 2022/23's report is published on 5 October 2022 with 1.3 “to be
confirmed” (its timeframe “31/09/22” names a day that does not exist); on 1 November a plan
administrator confirms it was due on 29 September, so as at 30 September it was overdue.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, Timeframe
from actions.services import date_confirmation_record
from reports.services import changed_since_publication, quarterly_report_publish, report_content
from tests.factories import ActionFactory

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END
from .test_views import page_text

LATER = datetime(2022, 11, 1, 9, tzinfo=LONDON)


@pytest.fixture
def to_confirm(plan):
    timeframe = Timeframe(label="31/09/22", to_be_confirmed=True)
    timeframe.save()
    return ActionFactory(
        theme=plan["overdue"].theme,
        position=3,
        reference="1.3",
        description="Review supervision",
        timeframe=timeframe,
    )


@pytest.fixture
def report(plan, to_confirm):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)


def confirm(when, action, people):
    with time_machine.travel(when, tick=False):
        return date_confirmation_record(
            action=action,
            confirmed_on=date(2022, 9, 29),
            reason="Head of Service: the plan meant 29 September.",
            entered_by=people["admin"],
        )


def changed_part(response):
    text = page_text(response)
    return text[text.index("Changed since publication") : text.index("1. Summary")]


@pytest.mark.django_db
def test_the_report_page_lists_a_due_date_confirmed_after_publication(
    client, people, to_confirm, report
):
    client.force_login(people["scrutiny"])
    url = reverse("reports:detail", args=[report.pk])
    before = page_text(client.get(url))
    assert "Nothing entered since publication changes" in before

    confirm(LATER, to_confirm, people)

    response = client.get(url)
    late = changed_part(response)
    assert "have changed 1 position as at that date" in late
    assert (
        "1.3 Review supervision Not started; Not rated; no due date; at risk "
        "Not started; Not rated; due 29 September 2022; overdue; at risk" in late
    )
    assert (
        "Due date confirmed as 29 September 2022 for the timeframe “31/09/22”, entered by "
        "Pat Admin on 1 November 2022 at 09:00: “Head of Service: the plan meant 29 "
        "September.”" in late
    )
    # The report itself reads as published.
    assert page_text(response).replace(late, "") == before.replace(
        before[before.index("Changed since publication") : before.index("1. Summary")], ""
    )


@pytest.mark.django_db
def test_the_published_counts_and_positions_stay_as_published(people, to_confirm, report):
    published = report_content(report)

    confirm(LATER, to_confirm, people)

    again = report_content(type(report).objects.get(pk=report.pk))
    assert again.counts == published.counts
    assert again.counts["overdue"] == 1
    assert again.positions == published.positions
    # ...while the live position as at the quarter end has one more overdue.
    live = Action.objects.filter(theme__plan=report.plan).counts(QUARTER_END)
    assert live["overdue"] == 2


@pytest.mark.parametrize(
    "entered, late",
    [
        (PUBLISHED_AT - timedelta(microseconds=1), False),
        (PUBLISHED_AT, False),
        (PUBLISHED_AT + timedelta(microseconds=1), True),
    ],
    ids=["just before", "on", "just after"],
)
@pytest.mark.django_db
def test_a_confirmation_is_late_only_if_entered_after_the_moment_of_publication(
    people, to_confirm, report, entered, late
):
    confirmation = confirm(entered, to_confirm, people)

    changes, counts = changed_since_publication(report)

    assert (counts.total, counts.confirmed) == ((1, 1) if late else (0, 0))
    assert [change.confirmations for change in changes] == ([[confirmation]] if late else [])
    # The rule the report was published by reads it the same way: known then, or not.
    then = Action.objects.with_state(QUARTER_END, report.published_at).get(pk=to_confirm.pk)
    assert then.due_on == (None if late else date(2022, 9, 29))


@pytest.mark.django_db
def test_the_dashboard_at_the_quarter_end_says_a_date_confirmed_later_changed_it(
    client, people, to_confirm, report
):
    client.force_login(people["scrutiny"])
    url = reverse("actions:dashboard")
    assert "changed after publication" not in page_text(client.get(url, {"as_at": "2022-09-30"}))

    confirm(LATER, to_confirm, people)

    text = page_text(client.get(url, {"as_at": "2022-09-30"}))
    assert "The position as at 30 September 2022 changed after publication" in text
    assert "1 action’s position is different now (1 due date confirmed later)." in text
    assert "2 overdue, 1 more than at Quarter 2 2022/23" in text
