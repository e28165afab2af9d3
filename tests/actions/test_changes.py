"""actions.changes: what changed between last quarter's position and this one's.

The story: Quarter 2 2022/23 (July to September 2022) in a plan that started on 1 April
2022. The previous position is as at 30 June 2022 (as a published report would have frozen
it); the current one as at 30 September 2022.
"""

import json
from datetime import date

import pytest

from actions.changes import Changes, updates_in_period, what_changed
from actions.models import RAG, Action, Status
from actions.positions import positions
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)

PREVIOUS, SINCE, AS_AT = date(2022, 6, 30), date(2022, 7, 1), date(2022, 9, 30)


def action(theme, reference, label, *history):
    made = ActionFactory(
        theme=theme,
        reference=reference,
        lead=LeadFactory(name=f"Lead of {reference}"),
        timeframe__label=label,
    )
    for reported_on, status, rag, fields in history:
        ProgressUpdateFactory(
            action=made, reported_on=reported_on, status=status, rag=rag, **fields
        )
    return made


def green(day, **fields):
    return (day, Status.IN_PROGRESS, RAG.GREEN, fields)


def not_started(day):
    return (day, Status.NOT_STARTED, RAG.GREEN, {})


@pytest.fixture
def plan(db):
    return PlanFactory(starts_on=date(2022, 4, 1))


def plan_actions(plan):
    return Action.objects.filter(theme__plan=plan)


@pytest.fixture
def one_of_each(plan):
    theme = ThemeFactory(plan=plan, name="Working in Partnership")
    june, august, september = date(2022, 6, 15), date(2022, 8, 15), date(2022, 9, 15)
    action(theme, "OVERDUE", "August 2022", green(june), green(august))
    action(theme, "AT-RISK", "15/10/2022", not_started(june), not_started(september))
    action(
        theme,
        "RED-GREEN",
        "March 2023",
        (june, Status.IN_PROGRESS, RAG.RED, {"worried_about": "No funding"}),
        green(date(2022, 8, 1), rag_change_reason="Funding agreed by Cabinet in July"),
        green(september),
    )
    action(
        theme,
        "DONE",
        "March 2023",
        green(june),
        (date(2022, 9, 10), Status.COMPLETE, "", {"evidence": "Hub opened 9 September"}),
    )
    action(
        theme,
        "SLIPPED",
        "September 2022",
        green(june),
        green(
            date(2022, 8, 20),
            revised_due_on=date(2023, 3, 31),
            revised_due_reason="The contractor went into administration",
        ),
    )
    action(
        theme,
        "SILENT",
        "March 2023",
        (date(2022, 6, 30), Status.IN_PROGRESS, RAG.AMBER, {"worried_about": "Recruitment"}),
    )
    action(theme, "CARRIED", "May 2022", green(june), green(september))
    leaving = action(theme, "LEFT", "March 2023", green(june), green(september))

    previous = positions(plan_actions(plan), as_at=PREVIOUS)
    # Between the two reports an administrator moved one action to another plan and
    # added another.
    leaving.theme = ThemeFactory()
    leaving.save()
    action(theme, "JOINED", "March 2024", green(date(2022, 9, 1)))
    return previous


def test_one_of_each_change_appears_once_in_the_right_list(plan, one_of_each):
    current = positions(plan_actions(plan), as_at=AS_AT)

    changes = what_changed(
        one_of_each, current, since=SINCE, updates=updates_in_period(current, since=SINCE)
    )

    assert {
        name: [entry.reference for entry in found] for name, _, found in changes.sections()
    } == {
        "newly_overdue": ["OVERDUE"],
        "newly_at_risk": ["AT-RISK"],
        "rag_changes": ["RED-GREEN"],
        "completions": ["DONE"],
        "slipped": ["SLIPPED"],
        "not_updated": ["SILENT"],
        "overdue_carried_over": ["CARRIED"],
        "joined": ["JOINED"],
        "left": ["LEFT"],
    }
    (rag_change,) = changes.rag_changes
    assert (rag_change.was, rag_change.now, rag_change.reason) == (
        "Red",
        "Green",
        "Funding agreed by Cabinet in July",
    )
    (slipped,) = changes.slipped
    assert (slipped.was, slipped.now, slipped.reason) == (
        "30 September 2022",
        "31 March 2023",
        "The contractor went into administration",
    )
    (done,) = changes.completions
    assert done.evidence == "Hub opened 9 September"
    assert changes.newly_at_risk[0].now == "Due soon, not started"
    assert changes.newly_overdue[0].days_overdue == 30
    assert changes.not_updated[0].was == "30 June 2022"
    # Each entry names the action's lead and theme.
    assert (done.lead_name, done.theme_name) == ("Lead of DONE", "Working in Partnership")
    assert [heading for _, heading, _ in changes.sections()][:3] == [
        "Newly overdue",
        "Newly at risk",
        "RAG rating changed",
    ]


def test_a_rag_change_takes_the_latest_updates_own_reason_first(plan):
    theme = ThemeFactory(plan=plan)
    action(
        theme,
        "A",
        "March 2023",
        (date(2022, 6, 1), Status.IN_PROGRESS, RAG.AMBER, {"worried_about": "Late"}),
        (
            date(2022, 8, 1),
            Status.IN_PROGRESS,
            RAG.RED,
            {"worried_about": "Later", "rag_change_reason": "Supplier failed"},
        ),
    )
    previous = positions(plan_actions(plan), as_at=PREVIOUS)
    current = positions(plan_actions(plan), as_at=AS_AT)

    (change,) = what_changed(previous, current, since=SINCE).rag_changes

    assert (change.was, change.now, change.reason) == ("Amber", "Red", "Supplier failed")


def test_a_first_red_or_amber_rating_is_a_rag_change_with_its_reason(plan):
    plan.starts_on = date(2022, 1, 1)
    plan.save()
    theme = ThemeFactory(plan=plan)
    unrated = (date(2022, 6, 1), Status.IN_PROGRESS, "", {})
    # Never updated, so not rated, and already overdue and at risk (stale) at June's end.
    action(
        theme,
        "FIRST-RED",
        "May 2022",
        (date(2022, 8, 1), Status.IN_PROGRESS, RAG.RED, {"rag_change_reason": "No provider"}),
    )
    action(
        theme,
        "FIRST-AMBER",
        "March 2023",
        unrated,
        (date(2022, 8, 1), Status.IN_PROGRESS, RAG.AMBER, {"worried_about": "Staffing"}),
    )
    # A first Green is no warning: not a change members are shown.
    action(theme, "FIRST-GREEN", "March 2023", unrated, green(date(2022, 8, 1)))
    previous = positions(plan_actions(plan), as_at=PREVIOUS)
    current = positions(plan_actions(plan), as_at=AS_AT)

    changes = what_changed(
        previous, current, since=SINCE, updates=updates_in_period(current, since=SINCE)
    )

    assert [(c.reference, c.was, c.now, c.reason) for c in changes.rag_changes] == [
        ("FIRST-RED", "Not rated", "Red", "No provider"),
        ("FIRST-AMBER", "Not rated", "Amber", ""),
    ]
    # Nor is the first Red in any other list: it was overdue and at risk before.
    assert [p.is_at_risk for p in previous if p.reference == "FIRST-RED"] == [True]
    listed = {name: [c.reference for c in found] for name, _, found in changes.sections()}
    assert [name for name, found in listed.items() if "FIRST-RED" in found] == [
        "rag_changes",
        "overdue_carried_over",
    ]


def test_without_a_previous_position_overdue_is_new_only_if_due_in_the_period(plan):
    theme = ThemeFactory(plan=plan)
    action(theme, "LONG-OVERDUE", "May 2022", green(date(2022, 9, 1)))
    action(theme, "NEWLY", "August 2022", green(date(2022, 9, 1)))
    action(
        theme,
        "SLIPPED",
        "August 2022",
        green(date(2022, 9, 1), revised_due_on=date(2022, 12, 31), revised_due_reason="Snow"),
    )
    action(
        theme,
        "SLIPPED-BEFORE",
        "May 2022",
        green(date(2022, 6, 1), revised_due_on=date(2022, 12, 31), revised_due_reason="Rain"),
        green(date(2022, 9, 2)),
    )
    current = positions(plan_actions(plan), as_at=AS_AT)

    changes = what_changed(None, current, since=SINCE)

    assert [entry.reference for entry in changes.newly_overdue] == ["NEWLY"]
    assert [entry.reference for entry in changes.overdue_carried_over] == ["LONG-OVERDUE"]
    assert [(entry.reference, entry.reason) for entry in changes.slipped] == [("SLIPPED", "Snow")]
    assert changes.joined == changes.left == changes.rag_changes == []


def test_without_a_previous_position_an_action_due_the_day_before_the_start_was_overdue_then(
    plan,
):
    theme = ThemeFactory(plan=plan)
    # Just before, on and just after the start the period is compared with (1 July).
    action(theme, "DUE-30-JUNE", "30/06/2022", green(date(2022, 9, 1)))
    action(theme, "DUE-1-JULY", "01/07/2022", green(date(2022, 9, 1)))
    action(theme, "DUE-2-JULY", "02/07/2022", green(date(2022, 9, 1)))
    current = positions(plan_actions(plan), as_at=AS_AT)

    changes = what_changed(None, current, since=SINCE)

    assert [entry.reference for entry in changes.overdue_carried_over] == ["DUE-30-JUNE"]
    assert [entry.reference for entry in changes.newly_overdue] == ["DUE-1-JULY", "DUE-2-JULY"]


def test_newly_at_risk_reasons_are_joined_as_the_position_column_joins_them(plan):
    theme = ThemeFactory(plan=plan)
    # Due soon and not started, and no update for over 90 days: two reasons.
    action(theme, "TWO-REASONS", "15/10/2022", not_started(date(2022, 5, 1)))
    current = positions(plan_actions(plan), as_at=AS_AT)

    (entry,) = what_changed(None, current, since=SINCE).newly_at_risk

    reasons = current[0].risk_reasons
    assert len(reasons) == 2
    assert entry.now == "; ".join(reasons)
    assert entry.now.count(";") == 1


def test_changes_survive_json_unchanged(plan, one_of_each):
    current = positions(plan_actions(plan), as_at=AS_AT)
    changes = what_changed(one_of_each, current, since=SINCE)

    stored = json.loads(json.dumps(changes.to_dict()))

    assert Changes.from_dict(stored) == changes


@pytest.mark.parametrize("count", [2, 40])
def test_the_periods_updates_take_one_query(plan, count, django_assert_num_queries):
    theme = ThemeFactory(plan=plan)
    for number in range(count):
        action(theme, str(number), "March 2023", green(date(2022, 7, 5)), green(date(2022, 8, 5)))
    current = positions(plan_actions(plan), as_at=AS_AT)

    with django_assert_num_queries(1):
        found = updates_in_period(current, since=SINCE)

    assert sum(len(updates) for updates in found.values()) == 2 * count
