"""Revised due dates as people meet them: an officer gives one with its reason, and every
page showing "Due" shows the date overdue counts against, with the plan's beside it."""

import re
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from actions.models import RAG, ProgressUpdate, Status
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)
from themes import periods

# Each test runs reading the kept newest updates and searching the updates (conftest).
pytestmark = pytest.mark.usefixtures("both_ways")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2023, 5, 15), tick=False):
        yield


@pytest.fixture
def officer(db):
    user = UserFactory(username="kerry", first_name="Kerry", last_name="Crichlow")
    user.groups.add(Group.objects.get(name=roles.OFFICERS))
    return user


@pytest.fixture
def action(officer):
    plan = PlanFactory(slug="cype", starts_on=date(2022, 4, 1))
    return ActionFactory(
        theme=ThemeFactory(plan=plan, name="Working in Partnership"),
        lead=LeadFactory(name="Kerry Crichlow", user=officer),
        reference="3.1",
        description="Open the family hubs",
        timeframe__label="March 2023",
    )


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def post_update(client, action, follow=False, **changes):
    data = {
        "reported_on_day": "15",
        "reported_on_month": "5",
        "reported_on_year": "2023",
        "status": Status.IN_PROGRESS,
        "rag": RAG.GREEN,
        "working_well": "Two hubs are open.",
        "seen_up_to": "0",
    } | changes
    return client.post(reverse("actions:record_update", args=[action.pk]), data, follow=follow)


def test_an_officer_revises_the_due_date_with_its_reason_and_the_action_page_shows_both(
    client, officer, action
):
    client.force_login(officer)
    form = text(client.get(reverse("actions:record_update", args=[action.pk])))
    assert "The plan’s timeframe is “March 2023”: due 31 March 2023." in form
    assert "Revised due date (optional)" in form

    response = post_update(
        client,
        action,
        revised_due_on_day="30",
        revised_due_on_month="9",
        revised_due_on_year="2023",
        revised_due_reason="The third site’s lease was delayed by the landlord.",
        follow=True,
    )

    update = ProgressUpdate.objects.get()
    assert (update.revised_due_on, update.revised_due_reason) == (
        date(2023, 9, 30),
        "The third site’s lease was delayed by the landlord.",
    )
    page = text(response)
    assert "Timeframe March 2023 Due 31 March 2023 in the plan" in page
    assert (
        "Revised due date 30 September 2023 , from the update reporting on 15 May 2023: overdue "
        "counts against this date from then on. Why: The third site’s lease was delayed by the "
        "landlord." in page
    )
    assert (
        "15 May 2023 30 Sep 2023 The third site’s lease was delayed by the landlord. "
        "Kerry Crichlow, 15 May 2023 The plan 31 Mar 2023 Timeframe as written: “March 2023”"
        in page
    )
    position = page[page.index("Position as at") : page.index("About this action")]
    assert "Overdue" not in position


def test_the_action_page_as_at_a_date_before_the_revision_shows_the_plans_date(
    client, officer, action
):
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2023, 5, 1),
        revised_due_on=date(2023, 9, 30),
        revised_due_reason="Lease delayed",
    )
    client.force_login(officer)

    before = text(client.get(reverse("actions:detail", args=[action.pk]), {"as_at": "2023-04-30"}))
    after = text(client.get(reverse("actions:detail", args=[action.pk]), {"as_at": "2023-05-01"}))

    assert "Revised due date" not in before and "Due date revisions" not in before
    assert "Overdue" in before[before.index("Position as at") : before.index("About this")]
    assert "Revised due date 30 September 2023" in after
    assert "Due date revisions" in after


def test_history_lists_every_revision_with_its_reason_newest_first(client, officer, action):
    for reported_on, revised, reason in [
        (date(2023, 1, 10), date(2023, 6, 30), "First slip: the builder"),
        (date(2023, 4, 10), date(2023, 12, 31), "Second slip: planning permission"),
    ]:
        ProgressUpdateFactory(
            action=action,
            reported_on=reported_on,
            revised_due_on=revised,
            revised_due_reason=reason,
        )
    client.force_login(officer)

    page = text(client.get(reverse("actions:detail", args=[action.pk])))

    history = page[page.index("Due date revisions") :]
    assert history.index("Second slip") < history.index("First slip") < history.index("The plan")
    assert "2 revisions" in page


def test_an_ongoing_action_offers_no_revised_due_date(client, officer, action):
    action.timeframe = ActionFactory(timeframe__label="Ongoing").timeframe
    action.save()
    client.force_login(officer)

    form = client.get(reverse("actions:record_update", args=[action.pk])).content.decode()

    assert "revised_due_on" not in form
    response = post_update(client, action, follow=True)
    assert response.status_code == 200 and ProgressUpdate.objects.filter(action=action).exists()


def revised(action):
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2023, 3, 1),
        rag=RAG.AMBER,
        worried_about="Late",
        revised_due_on=date(2023, 4, 30),
        revised_due_reason="Lease delayed",
    )


def test_overdue_list_and_register_show_the_effective_and_the_plans_due_dates(
    client, officer, action
):
    revised(action)
    client.force_login(officer)

    overdue = text(client.get(reverse("actions:overdue"), {"plan": "cype"}))
    register = text(client.get(reverse("actions:register"), {"plan": "cype"}))

    # Overdue since 30 April (the revised date), not 31 March: 15 days, not 45.
    assert "30 Apr 2023 Revised: the plan said 31 Mar 2023 15" in overdue
    assert "Due , sort ascending Originally due , sort ascending" in register
    assert "March 2023 30 Apr 2023 31 Mar 2023" in register


def test_my_actions_and_the_theme_page_show_the_revised_date(client, officer, action):
    revised(action)
    client.force_login(officer)

    mine = text(client.get(reverse("actions:my_actions")))
    theme = text(client.get(reverse("actions:theme", args=[action.theme_id])))

    assert "Due 30 April 2023 (revised: the plan said 31 March 2023)" in mine
    assert "30 Apr 2023 Revised: the plan said 31 Mar 2023" in theme


@pytest.mark.parametrize(("day", "month", "year"), [("31", "12", "9999"), ("1", "1", "3000")])
def test_an_implausible_revised_due_date_is_refused_naming_it_on_the_update_page(
    client, officer, action, day, month, year
):
    client.force_login(officer)

    response = post_update(
        client,
        action,
        revised_due_on_day=day,
        revised_due_on_month=month,
        revised_due_on_year=year,
        revised_due_reason="Typed in a hurry",
    )

    assert response.status_code == 200
    shown = {"9999": "31 December 9999", "3000": "1 January 3000"}[year]
    # Refused by the date boxes, once: not asked for again as if it were left empty.
    assert "Revised due date: " + periods.OUT_OF_RANGE.format(shown=shown) in text(response)
    assert "Give the revised due date" not in text(response)
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("typed", "shown"), [("9999-12-31", "31 December 9999"), ("0001-01-01", "1 January 0001")]
)
def test_an_implausible_revised_due_date_is_refused_naming_it_in_the_admin(
    client, action, typed, shown
):
    administrator = UserFactory(username="admin", is_staff=True)
    administrator.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    client.force_login(administrator)

    response = client.post(
        reverse("admin:actions_progressupdate_add"),
        {
            "action": action.pk,
            "reported_on": "2023-05-15",
            "status": Status.IN_PROGRESS,
            "rag": RAG.GREEN,
            "working_well": "Two hubs are open.",
            "revised_due_on": typed,
            "revised_due_reason": "Typed in a hurry",
        },
    )

    assert response.status_code == 200
    # Refused by the admin's date field, beside the revised due date, before the update's rules.
    assert periods.OUT_OF_RANGE.format(shown=shown) in text(response)
    assert not ProgressUpdate.objects.exists()
