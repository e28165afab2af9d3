"""The as-at rules of DOMAIN.md: latest status, overdue, stale, due soon, at risk.

The plan in these tests starts on 1 April 2022; the default windows are 90 days
(update window) and 30 days (warning window).
"""

from datetime import date, timedelta

import pytest

from actions.models import RAG, Action, Status
from tests.factories import ActionFactory, PlanFactory, ProgressUpdateFactory, ThemeFactory

PLAN_STARTS = date(2022, 4, 1)
DUE = date(2023, 3, 31)  # "March 2023"


@pytest.fixture
def theme(db):
    return ThemeFactory(plan=PlanFactory(starts_on=PLAN_STARTS))


def action_due(theme, label="March 2023"):
    return ActionFactory(theme=theme, timeframe__label=label)


def update(action, reported_on, status=Status.IN_PROGRESS, rag=RAG.GREEN):
    return ProgressUpdateFactory(action=action, reported_on=reported_on, status=status, rag=rag)


def state(action, as_at):
    return Action.objects.with_state(as_at).get(pk=action.pk)


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


# Complete and on track


def test_complete_and_on_track_as_at_a_date(theme):
    done = action_due(theme)
    update(done, date(2022, 9, 1), Status.COMPLETE, "")
    going_well = action_due(theme)
    update(going_well, date(2022, 9, 1), Status.IN_PROGRESS, RAG.GREEN)
    worrying = action_due(theme)
    update(worrying, date(2022, 9, 1), Status.IN_PROGRESS, RAG.AMBER)
    as_at = date(2022, 9, 2)

    assert list(Action.objects.complete(as_at)) == [done]
    assert list(Action.objects.on_track(as_at)) == [going_well]


def test_state_can_be_asked_twice_for_the_same_date_but_not_for_two(theme):
    action_due(theme)
    as_at = date(2022, 9, 2)

    assert Action.objects.overdue(as_at).at_risk(as_at).count() == 0
    with pytest.raises(ValueError, match="another date"):
        Action.objects.overdue(as_at).at_risk(date(2022, 9, 3))


# The QuerySet rules and the single-action rules agree

FLAGS = (
    "latest_status",
    "latest_rag",
    "latest_reported_on",
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
    """Actions in every situation the rules distinguish, over a spread of dates."""
    june, red, amber, green = date(2022, 6, 1), RAG.RED, RAG.AMBER, RAG.GREEN
    histories = [
        [],
        [(june, Status.IN_PROGRESS, green)],
        [(june, Status.IN_PROGRESS, red)],
        [(june, Status.NOT_STARTED, green)],
        [(june, Status.IN_PROGRESS, amber), (date(2022, 12, 1), Status.COMPLETE, "")],
        [(june, Status.ON_HOLD, amber), (date(2023, 2, 1), Status.CLOSED, "")],
        [(june, Status.IN_PROGRESS, red), (june, Status.IN_PROGRESS, green)],
        [(date(2023, 3, 15), Status.NOT_STARTED, green)],
        [
            (date(2022, 11, 1), Status.COMPLETE, ""),
            (date(2023, 1, 5), Status.IN_CONSULTATION, green),
        ],
    ]
    labels = ["March 2023", "Ongoing", "December 2022", "Sept-Nov 2022", "30/09/22 (TBC)"]
    actions = []
    for label in labels:
        for history in histories:
            action = action_due(theme, label)
            for reported_on, status, rag in history:
                update(action, reported_on, status, rag)
            actions.append(action)
    return actions


AS_AT_DATES = [
    date(2022, 5, 31),
    date(2022, 6, 30),
    date(2022, 7, 1),
    date(2022, 8, 30),
    date(2022, 8, 31),
    date(2022, 9, 1),
    date(2022, 10, 31),
    date(2022, 12, 1),
    date(2023, 1, 1),
    date(2023, 3, 1),
    date(2023, 3, 31),
    date(2023, 4, 1),
    date(2024, 1, 1),
]


@pytest.mark.parametrize("as_at", AS_AT_DATES)
def test_queryset_rules_and_single_action_rules_agree(many_situations, as_at):
    by_queryset = {row.pk: row for row in Action.objects.with_state(as_at)}
    disagreements = []
    for action in Action.objects.select_related("timeframe", "theme__plan").prefetch_related(
        "progress_updates"
    ):
        single = action.state(as_at)
        row = by_queryset[action.pk]
        for flag in FLAGS:
            if getattr(single, flag) != getattr(row, flag):
                disagreements.append((action.timeframe.label, flag, getattr(single, flag)))
    assert disagreements == []

    for rule, flag in [
        ("overdue", "is_overdue"),
        ("stale", "is_stale"),
        ("at_risk", "is_at_risk"),
        ("due_soon_not_started", "is_due_soon_not_started"),
        ("due_an_update", "is_due_update"),
        ("due_soon", "is_due_soon"),
    ]:
        members = set(getattr(Action.objects, rule)(as_at).values_list("pk", flat=True))
        assert members == {pk for pk, row in by_queryset.items() if getattr(row, flag)}, rule


def test_the_situations_cover_every_flag_both_ways(many_situations):
    seen = {flag: set() for flag in FLAGS if flag.startswith("is_")}
    for as_at in AS_AT_DATES:
        for row in Action.objects.with_state(as_at):
            for flag in seen:
                seen[flag].add(getattr(row, flag))

    assert all(values == {True, False} for values in seen.values()), seen
