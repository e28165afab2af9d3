"""An update corrected by a superuser after a report was published: the correction keeps the
update's entered_at, so even the position as known at publication now reads the corrected
update; the report reads as published from its frozen copy, and the live notice beside it
says which update was corrected, what changed, by whom and when."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from actions.models import ProgressUpdate
from reports.services import changed_since_publication, quarterly_report_publish, report_content
from tests.factories import UserFactory
from tests.html_forms import post_form

from .conftest import PUBLISHED_AT, QUARTER_END
from .test_timeframes_changed_since_publication import LATER, changed_part


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="sys", first_name="Sys", last_name="Admin", is_staff=True, is_superuser=True
    )


def correct(client, superuser, update, when, **fields):
    client.force_login(superuser)
    url = reverse("admin:actions_progressupdate_change", args=[update.pk])
    with time_machine.travel(when, tick=False):
        data = post_form(client.get(url).content.decode())
        data.update(fields)
        assert client.post(url, {**data, "_save": "Save"}).status_code == 302


def completed(plan):
    return ProgressUpdate.objects.get(action=plan["done"])


@pytest.mark.django_db
def test_the_report_page_lists_an_update_corrected_after_publication(
    client, plan, people, superuser
):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    published = report_content(report)

    correct(
        client,
        superuser,
        completed(plan),
        LATER,
        status="in_progress",
        rag="red",
        worried_about="The plan was not published after all.",
    )

    client.force_login(people["scrutiny"])
    late = changed_part(client.get(reverse("reports:detail", args=[report.pk])))
    assert "Entries made after this report was published (1 update corrected later)" in late
    assert (
        "Update reporting on 10 September 2022 corrected by Sys Admin on 1 November 2022 at "
        "09:00: Status: Complete → In progress; RAG: not rated → Red." in late
    )
    again = report_content(type(report).objects.get(pk=report.pk))
    assert again.counts == published.counts and again.positions == published.positions


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
def test_a_correction_is_late_only_if_made_after_the_moment_of_publication(
    client, plan, superuser, when, late
):
    fields = {"status": "in_progress", "rag": "red", "worried_about": "Not published."}
    if not late:
        correct(client, superuser, completed(plan), when, **fields)
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    if late:
        correct(client, superuser, completed(plan), when, **fields)

    changes, counts = changed_since_publication(report)

    assert counts.corrected == (1 if late else 0)
    assert [change.now.reference for change in changes] == (["2.1"] if late else [])
