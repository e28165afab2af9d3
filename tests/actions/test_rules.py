"""The as-at rules of DOMAIN.md: latest status, overdue, stale, due soon, at risk.

The plan in these tests starts on 1 April 2022; the default windows are 90 days
(update window) and 30 days (warning window).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actions.models import RAG, Action, ProgressUpdate, Status
from tests.factories import ActionFactory, PlanFactory, ProgressUpdateFactory, ThemeFactory

# Each test runs reading the kept newest updates and searching the updates (conftest).
pytestmark = pytest.mark.usefixtures("both_ways")

PLAN_STARTS = date(2022, 4, 1)
DUE = date(2023, 3, 31)  # "March 2023"


@pytest.fixture
def theme(db):
    return ThemeFactory(plan=PlanFactory(starts_on=PLAN_STARTS))


def action_due(theme, label="March 2023"):
    return ActionFactory(theme=theme, timeframe__label=label)


def update(action, reported_on, status=Status.IN_PROGRESS, rag=RAG.GREEN, **fields):
    return ProgressUpdateFactory(
        action=action, reported_on=reported_on, status=status, rag=rag, **fields
    )


def state(action, as_at, known_at=None):
    return Action.objects.with_state(as_at, known_at).get(pk=action.pk)


def moment(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# Latest status as at a date


def test_latest_status_ignores_updates_reported_after_the_as_at_date(theme):
    action = action_due(theme)
    update(action, date(2022, 6, 1), Status.IN_PROGRESS, RAG.GREEN)
    update(action, date(2022, 9, 1), Status.IN_PROGRESS, RAG.RED)

    assert state(action, date(2022, 8, 31)).latest_rag == RAG.GREEN
    assert state(action, date(2022, 9, 1)).latest_rag == RAG.RED
    assert state(action, date(2022, 9, 2)).latest_rag == RAG.RED


def test_latest_status_before_any_update_is_not_started_with_no_rag(theme):
    action = action_due(theme)
    update(action, date(2022, 6, 1), Status.IN_PROGRESS, RAG.AMBER)

    before = state(action, date(2022, 5, 31))

    assert (before.latest_status, before.latest_rag, before.latest_reported_on) == (
        Status.NOT_STARTED,
        "",
        None,
    )
    assert before.latest_update_id is None


def test_latest_status_on_a_tied_report_date_is_the_one_entered_last(theme):
    action = action_due(theme)
    update(action, date(2022, 6, 1), Status.IN_PROGRESS, RAG.RED)
    entered_last = update(action, date(2022, 6, 1), Status.IN_PROGRESS, RAG.AMBER)
    # Entered after both, but reporting an earlier date: not the latest position.
    update(action, date(2022, 5, 20), Status.IN_PROGRESS, RAG.GREEN)

    latest = state(action, date(2022, 6, 2))

    assert latest.latest_update_id == entered_last.pk
    assert latest.latest_rag == RAG.AMBER


# Overdue


@pytest.mark.parametrize(
    ("as_at", "overdue"),
    [(DUE - timedelta(days=1), False), (DUE, False), (DUE + timedelta(days=1), True)],
)
def test_overdue_starts_the_day_after_the_due_date(theme, as_at, overdue):
    action = action_due(theme)
    update(action, date(2023, 3, 1))

    assert Action.objects.overdue(as_at).filter(pk=action.pk).exists() is overdue


@pytest.mark.parametrize("finished", [Status.COMPLETE, Status.CLOSED])
def test_overdue_excludes_actions_complete_or_closed_as_at_the_date(theme, finished):
    action = action_due(theme)
    update(action, date(2023, 4, 10), finished, "")

    assert Action.objects.overdue(date(2023, 4, 9)).filter(pk=action.pk).exists()
    assert not Action.objects.overdue(date(2023, 4, 10)).filter(pk=action.pk).exists()


def test_overdue_counts_an_action_reopened_after_completion(theme):
    action = action_due(theme)
    update(action, date(2023, 1, 10), Status.COMPLETE, "")
    update(action, date(2023, 2, 10), Status.IN_PROGRESS, RAG.AMBER)

    assert Action.objects.overdue(date(2023, 4, 1)).filter(pk=action.pk).exists()


@pytest.mark.parametrize("label", ["Ongoing", "On going", "April 21 and ongoing"])
def test_overdue_never_includes_ongoing_actions(theme, label):
    action = action_due(theme, label)

    assert not Action.objects.overdue(date(2030, 1, 1)).filter(pk=action.pk).exists()


def test_overdue_uses_the_last_milestone(theme):
    action = action_due(theme, "30/09/2021 and 31/03/22")
    update(action, date(2022, 4, 1))

    assert not Action.objects.overdue(date(2022, 3, 31)).filter(pk=action.pk).exists()
    assert Action.objects.overdue(date(2022, 4, 1)).filter(pk=action.pk).exists()


# Stale


@pytest.mark.parametrize(("days_since_update", "stale"), [(89, False), (90, False), (91, True)])
def test_stale_after_the_update_window_without_an_update(theme, days_since_update, stale):
    action = action_due(theme, "Ongoing")
    update(action, date(2022, 6, 1))
    as_at = date(2022, 6, 1) + timedelta(days=days_since_update)

    assert Action.objects.stale(as_at).filter(pk=action.pk).exists() is stale


@pytest.mark.parametrize(
    ("days_since_plan_started", "stale"), [(89, False), (90, False), (91, True)]
)
def test_stale_for_a_never_updated_action_once_its_plan_has_run_for_the_window(
    theme, days_since_plan_started, stale
):
    action = action_due(theme, "Ongoing")
    as_at = PLAN_STARTS + timedelta(days=days_since_plan_started)

    assert Action.objects.stale(as_at).filter(pk=action.pk).exists() is stale


def test_stale_window_is_a_setting(theme, settings):
    action = action_due(theme, "Ongoing")
    update(action, date(2022, 6, 1))
    settings.UPDATE_WINDOW_DAYS = 30

    assert not Action.objects.stale(date(2022, 7, 1)).filter(pk=action.pk).exists()
    assert Action.objects.stale(date(2022, 7, 2)).filter(pk=action.pk).exists()


@pytest.mark.parametrize("finished", [Status.COMPLETE, Status.CLOSED])
def test_stale_excludes_finished_actions(theme, finished):
    action = action_due(theme, "Ongoing")
    update(action, date(2022, 6, 1), finished, "")

    assert not Action.objects.stale(date(2023, 6, 1)).filter(pk=action.pk).exists()


# Due soon and not started


@pytest.mark.parametrize(
    ("as_at", "due_soon"),
    [
        (DUE - timedelta(days=31), False),
        (DUE - timedelta(days=30), True),
        (DUE - timedelta(days=29), True),
        (DUE, True),
        (DUE + timedelta(days=1), False),  # overdue now, no longer "due soon"
    ],
)
def test_due_soon_not_started_within_the_warning_window(theme, as_at, due_soon):
    action = action_due(theme)
    update(action, date(2023, 2, 20), Status.NOT_STARTED, RAG.GREEN)

    assert Action.objects.due_soon_not_started(as_at).filter(pk=action.pk).exists() is due_soon


def test_due_soon_does_not_apply_once_started(theme):
    action = action_due(theme)
    update(action, date(2023, 3, 20), Status.IN_PROGRESS, RAG.GREEN)

    assert not Action.objects.due_soon_not_started(DUE).filter(pk=action.pk).exists()


def test_warning_window_is_a_setting(theme, settings):
    action = action_due(theme)
    update(action, date(2023, 2, 20), Status.NOT_STARTED, RAG.GREEN)
    settings.WARNING_WINDOW_DAYS = 7

    assert not Action.objects.due_soon_not_started(DUE - timedelta(days=8)).exists()
    assert Action.objects.due_soon_not_started(DUE - timedelta(days=7)).get() == action


# At risk


@pytest.mark.parametrize(
    ("rag", "at_risk"), [(RAG.RED, True), (RAG.AMBER, True), (RAG.GREEN, False)]
)
def test_at_risk_when_the_latest_rag_is_red_or_amber(theme, rag, at_risk):
    action = action_due(theme)
    update(action, date(2022, 9, 1), Status.IN_PROGRESS, rag)

    assert Action.objects.at_risk(date(2022, 9, 2)).filter(pk=action.pk).exists() is at_risk


def test_at_risk_when_stale_even_if_green(theme):
    action = action_due(theme)
    update(action, date(2022, 6, 1), Status.IN_PROGRESS, RAG.GREEN)

    assert not Action.objects.at_risk(date(2022, 8, 30)).filter(pk=action.pk).exists()
    assert Action.objects.at_risk(date(2022, 8, 31)).filter(pk=action.pk).exists()


def test_at_risk_when_due_soon_and_not_started(theme):
    action = action_due(theme)
    update(action, date(2023, 2, 20), Status.NOT_STARTED, RAG.GREEN)

    assert not Action.objects.at_risk(DUE - timedelta(days=31)).filter(pk=action.pk).exists()
    assert Action.objects.at_risk(DUE - timedelta(days=30)).filter(pk=action.pk).exists()


@pytest.mark.parametrize("finished", [Status.COMPLETE, Status.CLOSED])
def test_at_risk_excludes_finished_actions_whatever_came_before(theme, finished):
    action = action_due(theme)
    update(action, date(2022, 9, 1), Status.IN_PROGRESS, RAG.RED)
    update(action, date(2022, 10, 1), finished, RAG.RED)

    assert Action.objects.at_risk(date(2022, 9, 30)).filter(pk=action.pk).exists()
    assert not Action.objects.at_risk(date(2022, 10, 1)).filter(pk=action.pk).exists()


# Complete, and no concerns


def test_complete_and_no_concerns_as_at_a_date(theme):
    done = action_due(theme)
    update(done, date(2022, 9, 1), Status.COMPLETE, "")
    going_well = action_due(theme)
    update(going_well, date(2022, 9, 1), Status.IN_PROGRESS, RAG.GREEN)
    worrying = action_due(theme)
    update(worrying, date(2022, 9, 1), Status.IN_PROGRESS, RAG.AMBER)
    as_at = date(2022, 9, 2)

    assert list(Action.objects.complete(as_at)) == [done]
    assert list(Action.objects.no_concerns(as_at)) == [going_well]


def test_state_can_be_asked_twice_for_the_same_date_but_not_for_two(theme):
    action_due(theme)
    as_at = date(2022, 9, 2)

    assert Action.objects.overdue(as_at).at_risk(as_at).count() == 0
    with pytest.raises(ValueError, match="another date"):
        Action.objects.overdue(as_at).at_risk(date(2022, 9, 3))


def test_state_as_known_at_one_moment_refuses_another(theme):
    action_due(theme)
    as_at, known_at = date(2022, 9, 2), moment(date(2022, 10, 1))

    assert Action.objects.with_state(as_at, known_at).overdue(as_at, known_at).count() == 0
    assert Action.objects.with_state(as_at, known_at).with_state(as_at, known_at).count() == 1
    with pytest.raises(ValueError, match="another moment"):
        Action.objects.with_state(as_at, known_at).at_risk(as_at)
    with pytest.raises(ValueError, match="another moment"):
        Action.objects.with_state(as_at).with_state(as_at, known_at)


# As at D, as known at T


def test_an_update_counts_as_known_only_from_the_moment_it_was_entered(theme):
    """Issue 7's story: an update entered on 20 October reporting on 30 September changes the
    position as at 1 October from then on, but not what was known before it was entered."""
    action = action_due(theme, "September 2022")
    with time_machine.travel(moment(date(2022, 9, 1)), tick=False):
        update(action, date(2022, 9, 1), Status.IN_PROGRESS, RAG.AMBER, worried_about="Staff")
    with time_machine.travel(moment(date(2022, 10, 20)), tick=False):
        late = update(action, date(2022, 9, 30), Status.COMPLETE, "", evidence="Signed off")
    as_at = date(2022, 10, 1)
    just_before, just_after = late.entered_at - timedelta(seconds=1), late.entered_at

    before, after = state(action, as_at, just_before), state(action, as_at, just_after)
    assert (before.latest_status, before.is_overdue, before.is_at_risk) == (
        Status.IN_PROGRESS,
        True,
        True,
    )
    assert (after.latest_status, after.is_overdue, after.latest_update_id) == (
        Status.COMPLETE,
        False,
        late.pk,
    )
    # "As at D" with no moment means what is known now.
    assert state(action, as_at).latest_update_id == late.pk
    assert Action.objects.overdue(as_at).count() == 0
    # The single-action rule says the same on both sides of the moment.
    action = Action.objects.prefetch_related("progress_updates").get(pk=action.pk)
    assert action.state(as_at, just_before).is_overdue is True
    assert action.state(as_at, just_after).latest_update == late


def test_as_known_at_still_ignores_updates_reported_after_the_as_at_date(theme):
    action = action_due(theme)
    with time_machine.travel(moment(date(2022, 6, 1)), tick=False):
        update(action, date(2022, 6, 1), Status.IN_PROGRESS, RAG.GREEN)
    with time_machine.travel(moment(date(2022, 7, 1)), tick=False):
        update(action, date(2022, 7, 1), Status.IN_PROGRESS, RAG.RED, worried_about="Money")

    assert state(action, date(2022, 6, 30), moment(date(2023, 1, 1))).latest_rag == RAG.GREEN
    assert state(action, date(2022, 7, 1), moment(date(2022, 6, 30))).latest_rag == RAG.GREEN
    assert state(action, date(2022, 7, 1), moment(date(2022, 7, 1))).latest_rag == RAG.RED


def test_as_known_before_any_update_was_entered_is_not_started(theme):
    action = action_due(theme)
    with time_machine.travel(moment(date(2022, 6, 1)), tick=False):
        update(action, date(2022, 6, 1))

    early = state(action, date(2022, 6, 1), moment(date(2022, 6, 1), hour=11))
    assert (early.latest_status, early.latest_update_id) == (Status.NOT_STARTED, None)


# Revised due dates


def revise(action, reported_on, revised_due_on, reason="The provider withdrew"):
    return update(
        action,
        reported_on,
        Status.IN_PROGRESS,
        RAG.AMBER,
        worried_about="It is late",
        revised_due_on=revised_due_on,
        revised_due_reason=reason,
    )


def test_overdue_follows_the_revised_date_from_the_update_that_set_it(theme):
    action = action_due(theme, "December 2022")
    update(action, date(2022, 11, 1))
    revise(action, date(2023, 2, 1), date(2023, 6, 30), "Consultation extended by the DfE")

    # Before the revising update, the plan's date stands: overdue from 1 January.
    january = state(action, date(2023, 1, 31))
    assert (january.due_on, january.original_due_on, january.is_overdue) == (
        date(2022, 12, 31),
        date(2022, 12, 31),
        True,
    )
    assert january.revised_due_reason is None
    assert january.days_overdue == 31
    # From it on, the revised date: no longer overdue until July.
    february = state(action, date(2023, 2, 1))
    assert (february.due_on, february.original_due_on, february.is_overdue) == (
        date(2023, 6, 30),
        date(2022, 12, 31),
        False,
    )
    assert february.revised_due_reason == "Consultation extended by the DfE"
    assert february.due_revised_on == date(2023, 2, 1)
    assert not state(action, date(2023, 6, 30)).is_overdue
    assert state(action, date(2023, 7, 1)).is_overdue
    assert state(action, date(2023, 7, 1)).days_overdue == 1
    assert list(Action.objects.overdue(date(2023, 1, 31))) == [action]
    assert list(Action.objects.overdue(date(2023, 2, 1))) == []


def test_a_revised_date_stands_until_another_update_revises_it_again(theme):
    action = action_due(theme, "December 2022")
    revise(action, date(2022, 12, 1), date(2023, 3, 31), "First slip")
    update(action, date(2023, 1, 10))  # says nothing about the date: the revision stands
    revise(action, date(2023, 3, 1), date(2023, 9, 30), "Second slip")

    assert state(action, date(2023, 2, 1)).due_on == date(2023, 3, 31)
    assert state(action, date(2023, 2, 1)).revised_due_reason == "First slip"
    assert state(action, date(2023, 3, 1)).due_on == date(2023, 9, 30)
    assert state(action, date(2023, 3, 1)).revised_due_reason == "Second slip"


def test_due_soon_counts_against_the_revised_date(theme):
    action = action_due(theme, "December 2022")
    update(
        action,
        date(2022, 10, 1),
        Status.NOT_STARTED,
        RAG.GREEN,
        revised_due_on=date(2023, 3, 31),
        revised_due_reason="Waiting for the new contract",
    )

    assert not state(action, date(2022, 12, 15)).is_due_soon_not_started
    assert state(action, date(2023, 3, 15)).is_due_soon_not_started


def test_a_revised_date_known_only_from_the_moment_it_was_entered(theme):
    action = action_due(theme, "December 2022")
    with time_machine.travel(moment(date(2023, 1, 20)), tick=False):
        revise(action, date(2022, 12, 20), date(2023, 6, 30))

    assert state(action, date(2023, 1, 1), moment(date(2023, 1, 19))).is_overdue
    assert not state(action, date(2023, 1, 1), moment(date(2023, 1, 21))).is_overdue


def revised_update(action, **fields):
    values = {
        "action": action,
        "reported_on": date(2023, 1, 10),
        "status": Status.IN_PROGRESS,
        "rag": RAG.GREEN,
        "revised_due_on": date(2023, 6, 30),
        "revised_due_reason": "",
    } | fields
    return ProgressUpdate(**values)


def test_a_revised_due_date_without_a_reason_is_refused_naming_the_field(theme):
    action = action_due(theme, "December 2022")

    with time_machine.travel(date(2023, 2, 1)), pytest.raises(ValidationError) as refused:
        revised_update(action, revised_due_reason="  ").full_clean()

    assert refused.value.message_dict["revised_due_reason"] == [
        "Say why the due date changed: a revised due date needs its reason."
    ]


@pytest.mark.parametrize(
    ("label", "fields", "message"),
    [
        (
            "December 2022",
            {"revised_due_on": None, "revised_due_reason": "Slipped"},
            "Give the revised due date, or leave its reason empty.",
        ),
        (
            "Ongoing",
            {"revised_due_reason": "Slipped"},
            "This action is ongoing (“Ongoing”): it has no due date to revise.",
        ),
        (
            "December 2022",
            {"revised_due_on": date(2023, 1, 9), "revised_due_reason": "Slipped"},
            "The revised due date can’t be before the date this update reports on "
            "(10 January 2023).",
        ),
    ],
)
def test_revised_due_date_refusals_name_the_field(theme, label, fields, message):
    action = action_due(theme, label)

    with time_machine.travel(date(2023, 2, 1)), pytest.raises(ValidationError) as refused:
        revised_update(action, **fields).full_clean()

    assert refused.value.message_dict["revised_due_on"] == [message]


def test_a_revised_due_date_with_its_reason_is_accepted(theme):
    action = action_due(theme, "December 2022")

    with time_machine.travel(date(2023, 2, 1)):
        revised_update(action, revised_due_reason="The school moved site").full_clean()


# The QuerySet rules and the single-action rules agree

FLAGS = (
    "latest_update_id",
    "latest_status",
    "latest_rag",
    "latest_reported_on",
    "original_due_on",
    "due_on",
    "revised_due_reason",
    "due_revised_on",
    "days_overdue",
    "is_finished",
    "is_overdue",
    "is_stale",
    "is_due_soon",
    "is_due_soon_not_started",
    "is_due_update",
    "is_at_risk",
)


@pytest.fixture
def many_situations(theme):
    """Actions in every situation the rules distinguish, over a spread of dates: updates
    entered on the day they report on, and some entered weeks later (back-dated)."""
    june, red, amber, green = date(2022, 6, 1), RAG.RED, RAG.AMBER, RAG.GREEN
    slip = {"revised_due_on": date(2023, 9, 30), "revised_due_reason": "Slipped"}
    later_slip = {"revised_due_on": date(2024, 3, 31), "revised_due_reason": "Slipped again"}
    # Brought forward: due before the plan's date, so overdue sooner than its timeframe says.
    sooner = {"revised_due_on": date(2022, 10, 31), "revised_due_reason": "Brought forward"}
    histories = [
        [],
        [(june, Status.IN_PROGRESS, green, 0, {})],
        [(june, Status.IN_PROGRESS, red, 0, {})],
        [(june, Status.NOT_STARTED, green, 0, {})],
        [(june, Status.IN_PROGRESS, amber, 0, {}), (date(2022, 12, 1), Status.COMPLETE, "", 0, {})],
        [(june, Status.ON_HOLD, amber, 0, {}), (date(2023, 2, 1), Status.CLOSED, "", 40, {})],
        [(june, Status.IN_PROGRESS, red, 0, {}), (june, Status.IN_PROGRESS, green, 0, {})],
        [(date(2023, 3, 15), Status.NOT_STARTED, green, 0, {})],
        [
            (date(2022, 11, 1), Status.COMPLETE, "", 0, {}),
            (date(2023, 1, 5), Status.IN_CONSULTATION, green, 0, {}),
        ],
        # Back-dated: entered long after the day it reports on.
        [
            (june, Status.IN_PROGRESS, green, 0, {}),
            (date(2022, 9, 30), Status.COMPLETE, "", 20, {}),
        ],
        # Revised due dates, on time and back-dated, and revised twice.
        [(date(2022, 11, 15), Status.IN_PROGRESS, amber, 0, slip)],
        [(date(2022, 11, 15), Status.NOT_STARTED, green, 60, slip)],
        [
            (date(2022, 11, 15), Status.IN_PROGRESS, amber, 0, slip),
            (date(2023, 1, 5), Status.IN_PROGRESS, green, 0, {}),
            (date(2023, 8, 1), Status.IN_PROGRESS, red, 10, later_slip),
        ],
        # A date brought forward, on time and back-dated.
        [(date(2022, 7, 1), Status.IN_PROGRESS, amber, 0, sooner)],
        [(date(2022, 7, 1), Status.IN_PROGRESS, green, 30, sooner)],
    ]
    labels = ["March 2023", "Ongoing", "December 2022", "Sept-Nov 2022", "30/09/22 (TBC)"]
    actions = []
    for label in labels:
        for history in histories:
            action = action_due(theme, label)
            for reported_on, status, rag, days_late, fields in history:
                if label == "Ongoing":
                    fields = {}
                update(
                    action,
                    reported_on,
                    status,
                    rag,
                    entered_at=moment(reported_on + timedelta(days=days_late)),
                    **fields,
                )
            actions.append(action)
    return actions


AS_AT_DATES = [
    date(2022, 5, 31),
    date(2022, 6, 30),
    date(2022, 7, 1),
    date(2022, 8, 30),
    date(2022, 8, 31),
    date(2022, 9, 1),
    date(2022, 10, 1),
    date(2022, 10, 31),
    date(2022, 12, 1),
    date(2023, 1, 1),
    date(2023, 3, 1),
    date(2023, 3, 31),
    date(2023, 4, 1),
    date(2023, 10, 1),
    date(2024, 1, 1),
]

# None is "as known now"; the others fall before, between and after the late entries.
KNOWN_AT_MOMENTS = [
    None,
    moment(date(2022, 10, 1)),
    moment(date(2022, 10, 20)),
    moment(date(2023, 1, 14), hour=11),
    moment(date(2023, 3, 13)),
]


RULES = [
    ("overdue", "is_overdue"),
    ("stale", "is_stale"),
    ("at_risk", "is_at_risk"),
    ("due_soon_not_started", "is_due_soon_not_started"),
    ("due_an_update", "is_due_update"),
    ("due_soon", "is_due_soon"),
]


@pytest.mark.parametrize("as_at", AS_AT_DATES)
def test_queryset_rules_and_single_action_rules_agree(many_situations, as_at):
    actions = Action.objects.select_related("timeframe", "theme__plan").prefetch_related(
        "progress_updates"
    )
    for known_at in KNOWN_AT_MOMENTS:
        by_queryset = {row.pk: row for row in Action.objects.with_state(as_at, known_at)}
        disagreements = []
        for action in actions:
            single = action.state(as_at, known_at)
            row = by_queryset[action.pk]
            for flag in FLAGS:
                if getattr(single, flag) != getattr(row, flag):
                    disagreements.append(
                        (action.timeframe.label, known_at, flag, getattr(single, flag))
                    )
        assert disagreements == []

        for rule, flag in RULES:
            rows = getattr(Action.objects, rule)(as_at, known_at)
            members = set(rows.values_list("pk", flat=True))
            expected = {pk for pk, row in by_queryset.items() if getattr(row, flag)}
            assert members == expected, (rule, known_at)


def test_the_situations_cover_every_flag_both_ways(many_situations):
    seen = {flag: set() for flag in FLAGS if flag.startswith("is_")}
    revised, known_later = set(), set()
    for as_at in AS_AT_DATES:
        for row in Action.objects.with_state(as_at):
            for flag in seen:
                seen[flag].add(getattr(row, flag))
            revised.add(row.due_on != row.original_due_on)
        now = {row.pk: row.latest_update_id for row in Action.objects.with_state(as_at)}
        for known_at in KNOWN_AT_MOMENTS[1:]:
            then = Action.objects.with_state(as_at, known_at)
            known_later.update(row.latest_update_id != now[row.pk] for row in then)

    assert all(values == {True, False} for values in seen.values()), seen
    assert revised == {True, False}
    assert known_later == {True, False}
