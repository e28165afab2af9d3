"""Each action's kept newest update (NewestUpdate) is always the update the rules call latest,
whatever order updates arrive in: back-dated, tied, corrected, deleted or saved at once from
several threads. `check_newest_updates` finds a wrong one and --repair sets it right."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import RAG, Action, NewestUpdate, ProgressUpdate, Status
from actions.models.newest import newest_updates_check
from actions.models.rules import queryset as rules_module
from actions.services import progress_update_record
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory

PLAN_STARTS = date(2022, 4, 1)
FAR_FUTURE = date(2100, 1, 1)


def latest_by_the_rules(actions, as_at=FAR_FUTURE):
    """{action id: (latest update id, status, RAG, reported on, due on, revised on, reason,
    what's working well)}
    with with_state searching the updates, never reading the kept rows."""
    original = rules_module._reads_newest_kept
    rules_module._reads_newest_kept = lambda as_at, known_at: False
    try:
        return _positions(actions, as_at)
    finally:
        rules_module._reads_newest_kept = original


def latest_as_kept(actions, as_at=FAR_FUTURE):
    original = rules_module._reads_newest_kept
    rules_module._reads_newest_kept = lambda as_at, known_at: known_at is None
    try:
        return _positions(actions, as_at)
    finally:
        rules_module._reads_newest_kept = original


def _positions(actions, as_at):
    rows = Action.objects.filter(pk__in=[action.pk for action in actions]).with_state(as_at)
    rows = rows.annotate(**rows.latest_update_fields(["working_well"]))
    return {
        row.pk: (
            row.latest_update_id,
            row.latest_status,
            row.latest_rag,
            row.latest_reported_on,
            row.due_on,
            row.due_revised_on,
            row.revised_due_reason,
            row.working_well,
        )
        for row in rows
    }


def kept_update_ids(actions):
    kept = dict(
        NewestUpdate.objects.filter(action__in=actions).values_list("action_id", "update_id")
    )
    return {action.pk: kept.get(action.pk) for action in actions}


# One step of a history: add an update (days after the plan starts, which action, status,
# RAG, whether it revises the due date), correct an earlier one's date, or delete one.
add = st.tuples(
    st.just("add"),
    st.integers(0, 2),
    st.integers(0, 60),
    st.sampled_from([Status.IN_PROGRESS, Status.COMPLETE, Status.ON_HOLD]),
    st.sampled_from([RAG.RED, RAG.AMBER, RAG.GREEN]),
    st.booleans(),
)
correct = st.tuples(st.just("correct"), st.integers(0, 50), st.integers(0, 60))
remove = st.tuples(st.just("delete"), st.integers(0, 50))
histories = st.lists(st.one_of(add, add, add, correct, remove), min_size=1, max_size=14)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories, probe_days=st.lists(st.integers(-5, 70), min_size=1, max_size=4))
def test_the_kept_newest_update_is_the_latest_after_any_history(history, probe_days):
    theme = ThemeFactory(plan=PlanFactory(starts_on=PLAN_STARTS))
    actions = [
        ActionFactory(theme=theme, timeframe__label=label)
        for label in ("September 2022", "Ongoing", "March 2023")
    ]
    made = []
    for step in history:
        if step[0] == "add":
            _, which, days, status, rag, revises = step
            reported_on = PLAN_STARTS + timedelta(days=days)
            revised = {}
            if revises and actions[which].timeframe.label != "Ongoing":
                revised = {
                    "revised_due_on": reported_on + timedelta(days=90),
                    "revised_due_reason": f"Moved on day {days}",
                }
            made.append(
                ProgressUpdate.objects.create(
                    action=actions[which],
                    working_well=f"Update {len(made)}",
                    reported_on=reported_on,
                    status=status,
                    rag=rag,
                    **revised,
                )
            )
        elif made:
            update = made[step[1] % len(made)]
            if step[0] == "correct":
                update.reported_on = PLAN_STARTS + timedelta(days=step[2])
                update.save()
            else:
                made.remove(update)
                update.delete()

    by_the_rules = latest_by_the_rules(actions)
    assert kept_update_ids(actions) == {pk: row[0] for pk, row in by_the_rules.items()}
    assert latest_as_kept(actions) == by_the_rules
    for days in probe_days:
        as_at = PLAN_STARTS + timedelta(days=days)
        assert latest_as_kept(actions, as_at) == latest_by_the_rules(actions, as_at)
    assert newest_updates_check() == []


@pytest.mark.django_db(transaction=True)
def test_updates_recorded_at_once_from_threads_keep_the_latest(django_db_blocker):
    officer = UserFactory()
    theme = ThemeFactory(plan=PlanFactory(starts_on=PLAN_STARTS))
    action = ActionFactory(theme=theme, timeframe__label="Ongoing")
    other = ActionFactory(theme=theme, timeframe__label="Ongoing")

    def record(number):
        try:
            # Back-dated and tied report dates, arriving in whatever order the threads run.
            progress_update_record(
                action=action if number % 3 else other,
                reported_on=PLAN_STARTS + timedelta(days=(number * 7) % 11),
                status=Status.IN_PROGRESS,
                rag=RAG.GREEN,
                working_well=f"Thread update {number}",
                entered_by=officer,
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(record, range(40)))

    assert ProgressUpdate.objects.count() == 40, connection.vendor
    by_the_rules = latest_by_the_rules([action, other])
    assert kept_update_ids([action, other]) == {pk: row[0] for pk, row in by_the_rules.items()}
    assert latest_as_kept([action, other]) == by_the_rules
    assert newest_updates_check() == []


@pytest.mark.django_db
def test_check_newest_updates_finds_and_repairs_a_wrong_missing_or_stray_row():
    theme = ThemeFactory(plan=PlanFactory(starts_on=PLAN_STARTS))
    wrong, missing, stray, right = (
        ActionFactory(theme=theme, timeframe__label="Ongoing") for _ in range(4)
    )
    older = {}
    for action in (wrong, missing, right):
        older[action] = ProgressUpdate.objects.create(
            action=action, reported_on=date(2022, 5, 1), status=Status.IN_PROGRESS, rag=RAG.RED
        )
        ProgressUpdate.objects.create(
            action=action, reported_on=date(2022, 6, 1), status=Status.IN_PROGRESS, rag=RAG.GREEN
        )
    # What a bulk write that skipped the signals would leave behind.
    NewestUpdate.objects.filter(action=wrong).update(update=older[wrong], rag=RAG.RED)
    NewestUpdate.objects.filter(action=missing).delete()
    NewestUpdate.objects.create(
        action=stray,
        update=older[right],
        status=Status.IN_PROGRESS,
        rag=RAG.RED,
        reported_on=date(2022, 5, 1),
    )
    expected = sorted([wrong.pk, missing.pk, stray.pk])

    with pytest.raises(CommandError) as refused:
        call_command("check_newest_updates")
    assert "3 of 4 actions" in str(refused.value)
    assert "--repair" in str(refused.value)
    assert newest_updates_check() == expected

    call_command("check_newest_updates", "--repair", stdout=(out := StringIO()))
    assert "Repaired the newest update of 3 of 4 actions" in out.getvalue()
    assert newest_updates_check() == []
    by_the_rules = latest_by_the_rules([wrong, missing, stray, right])
    assert kept_update_ids([wrong, missing, stray, right]) == {
        pk: row[0] for pk, row in by_the_rules.items()
    }
    call_command("check_newest_updates", stdout=(out := StringIO()))
    assert "All 4 actions' newest updates are right." in out.getvalue()
