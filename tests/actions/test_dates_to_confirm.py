"""An action whose timeframe is to be confirmed has no due date, is never overdue, and takes
the date an administrator confirms for it: only it, never the others sharing the words."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Timeframe
from actions.services import date_confirmation_record
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory

# Each test runs reading the kept newest updates and searching the updates (conftest).
pytestmark = pytest.mark.usefixtures("both_ways")

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def tbc(db):
    timeframe = Timeframe(label="31/09/21", to_be_confirmed=True)
    timeframe.save()
    theme = ThemeFactory(plan=PlanFactory(starts_on=date(2021, 4, 1)))
    return {
        "action": ActionFactory(theme=theme, timeframe=timeframe),
        "other": ActionFactory(theme=theme, timeframe=timeframe),
        "admin": UserFactory(username="admin"),
    }


def state(action, as_at, known_at=None):
    return Action.objects.with_state(as_at, known_at).get(pk=action.pk)


@pytest.mark.parametrize("as_at", [date(2021, 9, 30), date(2021, 10, 1), date(2030, 1, 1)])
def test_a_date_to_be_confirmed_is_never_overdue(tbc, as_at):
    row = state(tbc["action"], as_at)

    assert row.due_on is None
    assert not row.is_overdue
    assert not tbc["action"].state(as_at).is_overdue


def test_an_unmarked_impossible_date_is_still_refused():
    with pytest.raises(ValueError, match="September 2021 has 30 days"):
        Timeframe(label="31/09/21").save()


@pytest.mark.django_db
def test_a_timeframe_that_reads_cleanly_has_nothing_to_confirm():
    timeframe = Timeframe(label="30/09/21", to_be_confirmed=True)
    timeframe.save()

    assert not timeframe.to_be_confirmed
    assert timeframe.due_on == date(2021, 9, 30)


def test_a_confirmed_date_is_the_due_date_of_that_action_only(tbc):
    with time_machine.travel(datetime(2021, 11, 1, 9, tzinfo=timezone.get_current_timezone())):
        date_confirmation_record(
            action=tbc["action"],
            confirmed_on=date(2021, 9, 30),
            reason="Confirmed with the Director: the plan meant 30 September.",
            entered_by=tbc["admin"],
        )

    assert state(tbc["action"], date(2021, 9, 30)).is_overdue is False
    after = state(tbc["action"], date(2021, 10, 1))
    assert (after.due_on, after.original_due_on, after.is_overdue) == (
        date(2021, 9, 30),
        date(2021, 9, 30),
        True,
    )
    assert tbc["action"].state(date(2021, 10, 1)).is_overdue
    # The overdue list finds it by its confirmed date, though its timeframe has none.
    assert list(Action.objects.overdue(date(2021, 9, 30))) == []
    assert list(Action.objects.overdue(date(2021, 10, 1))) == [tbc["action"]]
    # The other action sharing "31/09/21" is untouched, and the words stay as written.
    assert state(tbc["other"], date(2021, 10, 1)).due_on is None
    assert Timeframe.objects.get(label="31/09/21").to_be_confirmed


def test_a_report_known_before_the_confirmation_reads_as_it_did(tbc):
    moment = datetime(2021, 11, 1, 9, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment):
        date_confirmation_record(
            action=tbc["action"],
            confirmed_on=date(2021, 9, 30),
            reason="Confirmed.",
            entered_by=tbc["admin"],
        )

    before = state(tbc["action"], date(2021, 10, 31), known_at=moment - timedelta(days=1))

    assert before.due_on is None
    assert not before.is_overdue
    assert tbc["action"].state(date(2021, 10, 31), moment - timedelta(days=1)).due_on is None


def test_the_newest_confirmation_wins_and_the_earlier_is_kept(tbc):
    for confirmed_on in (date(2021, 9, 30), date(2021, 10, 31)):
        date_confirmation_record(
            action=tbc["action"], confirmed_on=confirmed_on, reason="x", entered_by=tbc["admin"]
        )

    assert state(tbc["action"], date(2021, 11, 1)).due_on == date(2021, 10, 31)
    assert tbc["action"].date_confirmations.count() == 2


def test_a_confirmation_needs_a_reason_and_a_date_waiting_to_be_confirmed(tbc):
    with pytest.raises(ValidationError) as error:
        date_confirmation_record(
            action=tbc["action"],
            confirmed_on=date(2021, 9, 30),
            reason=" ",
            entered_by=tbc["admin"],
        )
    assert "Say who confirmed the date and why." in str(error.value)

    with pytest.raises(ValidationError):
        date_confirmation_record(
            action=ActionFactory(),
            confirmed_on=date(2021, 9, 30),
            reason="x",
            entered_by=tbc["admin"],
        )
    assert not tbc["action"].date_confirmations.exists()


@pytest.mark.parametrize("confirmed_on", [date(1800, 2, 1), date(2021, 3, 31)])
def test_a_confirmed_date_before_the_plan_began_is_refused(tbc, confirmed_on):
    with pytest.raises(ValidationError) as error:
        date_confirmation_record(
            action=tbc["action"], confirmed_on=confirmed_on, reason="x", entered_by=tbc["admin"]
        )

    assert error.value.message_dict == {
        "confirmed_on": [
            "The confirmed due date can’t be before the plan began (1 April 2021). Check the year."
        ]
    }
    assert not tbc["action"].date_confirmations.exists()
    # The day the plan began is a due date it may have.
    date_confirmation_record(
        action=tbc["action"], confirmed_on=date(2021, 4, 1), reason="x", entered_by=tbc["admin"]
    )
    assert state(tbc["action"], date(2021, 4, 2)).due_on == date(2021, 4, 1)


@pytest.mark.parametrize("confirmed_on", [date(2031, 9, 30), date(2024, 4, 1)])
def test_a_confirmed_date_after_the_plan_ends_is_refused(tbc, confirmed_on):
    with pytest.raises(ValidationError) as error:
        date_confirmation_record(
            action=tbc["action"], confirmed_on=confirmed_on, reason="x", entered_by=tbc["admin"]
        )

    assert error.value.message_dict == {
        "confirmed_on": [
            "The confirmed due date can’t be after the plan ends (31 March 2024). Check the "
            "year. If the work has slipped, confirm the date the plan meant and give the new "
            "date in a progress update as a revised due date."
        ]
    }
    assert not tbc["action"].date_confirmations.exists()
    # The day the plan ends is a due date it may have.
    date_confirmation_record(
        action=tbc["action"], confirmed_on=date(2024, 3, 31), reason="x", entered_by=tbc["admin"]
    )
    assert state(tbc["action"], date(2024, 4, 1)).is_overdue


def test_a_confirmation_is_named_by_the_london_day_it_was_entered_on(client, tbc):
    # 00:30 on 1 October 2021 in London (BST) is 23:30 on 30 September in UTC.
    with time_machine.travel(datetime(2021, 10, 1, 0, 30, tzinfo=LONDON), tick=False):
        confirmation = date_confirmation_record(
            action=tbc["action"],
            confirmed_on=date(2021, 9, 30),
            reason="x",
            entered_by=tbc["admin"],
        )
    tbc["admin"].is_staff = tbc["admin"].is_superuser = True
    tbc["admin"].save()
    client.force_login(tbc["admin"])

    page = client.get(
        reverse("admin:actions_dateconfirmation_change", args=[confirmation.pk])
    ).content.decode()

    assert str(confirmation) == "30 September 2021, confirmed 1 October 2021"
    assert "30 September 2021, confirmed 1 October 2021" in page
