"""actions.positions: each action's position as plain values, as a report freezes it."""

import copy
import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db.models import QuerySet

from actions.models import RAG, Action, Status
from actions.positions import Position, positions
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)

# Each test runs reading the kept newest updates and searching the updates (conftest).
pytestmark = pytest.mark.usefixtures("both_ways")

AS_AT = date(2023, 3, 31)


@pytest.fixture
def plan(db):
    return PlanFactory(name="CYPE Directorate Plan 2022-24", slug="cype-2022-24")


def test_a_position_holds_the_action_its_lead_and_its_latest_update_as_plain_values(plan):
    theme = ThemeFactory(plan=plan, name="Working in Partnership", position=2)
    lead = LeadFactory(name="Iain Low", initials="IL", job_title="Head of Early Help")
    action = ActionFactory(
        theme=theme,
        reference="2.1",
        description="Launch the family hubs",
        expected_outcome="Families find help in one place",
        lead=lead,
        timeframe__label="December 2022",
    )
    action.supporting_leads.set([LeadFactory(name="", initials="PB"), LeadFactory(name="Ann")])
    officer = UserFactory(first_name="Kerry", last_name="Crichlow")
    ProgressUpdateFactory(action=action, reported_on=date(2022, 10, 1), rag=RAG.GREEN)
    with time_machine.travel(datetime(2023, 1, 12, 9, 30, tzinfo=UTC), tick=False):
        latest = ProgressUpdateFactory(
            action=action,
            reported_on=date(2023, 1, 10),
            status=Status.IN_PROGRESS,
            rag=RAG.AMBER,
            working_well="Two hubs open",
            worried_about="The third site is late",
            evidence="Opening reports",
            evidence_links="https://example.org/a\n\nhttps://example.org/b\n",
            rag_change_reason="Building works overran",
            revised_due_on=date(2023, 6, 30),
            revised_due_reason="Building works overran",
            entered_by=officer,
        )

    (position,) = positions(Action.objects.all(), as_at=AS_AT)

    assert position == Position(
        action_id=action.pk,
        plan_slug="cype-2022-24",
        plan_name="CYPE Directorate Plan 2022-24",
        reference="2.1",
        description="Launch the family hubs",
        expected_outcome="Families find help in one place",
        theme_id=theme.pk,
        theme_name="Working in Partnership",
        theme_position=2,
        lead_name="Iain Low (IL)",
        lead_job_title="Head of Early Help",
        supporting_leads=["PB", "Ann"],
        timeframe_label="December 2022",
        original_due_on=date(2022, 12, 31),
        due_on=date(2023, 6, 30),
        revised_due_reason="Building works overran",
        status=Status.IN_PROGRESS,
        status_label="In progress",
        rag=RAG.AMBER,
        rag_words="Amber",
        latest_update_id=latest.pk,
        latest_reported_on=date(2023, 1, 10),
        latest_entered_at=datetime(2023, 1, 12, 9, 30, tzinfo=UTC),
        latest_entered_by="Kerry Crichlow",
        is_finished=False,
        is_overdue=False,
        is_at_risk=True,
        is_stale=False,
        is_due_soon_not_started=False,
        days_overdue=None,
        risk_reasons=["Amber"],
        working_well="Two hubs open",
        worried_about="The third site is late",
        evidence="Opening reports",
        evidence_links=["https://example.org/a", "https://example.org/b"],
        rag_change_reason="Building works overran",
        action_position=action.position,
        lead_id=lead.pk,
        due_revised_on=date(2023, 1, 10),
        is_due_soon=False,
        is_due_update=False,
        as_at=AS_AT,
        known_at=None,
    )
    assert position.due_date_revised


def test_a_position_never_updated_is_not_started_and_overdue_once_due(plan):
    ActionFactory(theme=ThemeFactory(plan=plan), timeframe__label="December 2022")

    (position,) = positions(Action.objects.all(), as_at=AS_AT)

    assert (position.status_label, position.rag_words, position.latest_update_id) == (
        "Not started",
        "Not rated",
        None,
    )
    assert (position.is_overdue, position.days_overdue, position.latest_entered_by) == (
        True,
        90,
        None,
    )
    assert (position.working_well, position.evidence_links) == ("", [])
    assert not position.due_date_revised


def test_positions_as_known_at_a_moment_leave_out_updates_entered_after_it(plan):
    action = ActionFactory(theme=ThemeFactory(plan=plan), timeframe__label="December 2022")
    with time_machine.travel(datetime(2023, 4, 20, tzinfo=UTC), tick=False):
        ProgressUpdateFactory(
            action=action,
            reported_on=date(2023, 3, 1),
            status=Status.COMPLETE,
            rag="",
            evidence="Signed off",
        )

    published = positions(
        Action.objects.all(), as_at=AS_AT, known_at=datetime(2023, 4, 1, tzinfo=UTC)
    )
    now = positions(Action.objects.all(), as_at=AS_AT)

    assert (published[0].is_overdue, published[0].status) == (True, Status.NOT_STARTED)
    assert (now[0].is_overdue, now[0].status, now[0].evidence) == (
        False,
        Status.COMPLETE,
        "Signed off",
    )
    assert published[0].known_at == datetime(2023, 4, 1, tzinfo=UTC)


def test_a_position_survives_json_unchanged(plan):
    action = ActionFactory(theme=ThemeFactory(plan=plan))
    action.supporting_leads.set([LeadFactory()])
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2023, 1, 10),
        rag=RAG.RED,
        worried_about="Late",
        evidence_links="https://example.org/a",
        revised_due_on=date(2023, 9, 30),
        revised_due_reason="Late",
        entered_at=datetime(2023, 1, 10, 16, tzinfo=UTC),
    )
    (position,) = positions(
        Action.objects.all(), as_at=AS_AT, known_at=datetime(2023, 4, 2, 8, tzinfo=UTC)
    )

    stored = json.loads(json.dumps(position.to_dict()))

    assert stored["due_on"] == "2023-09-30"
    assert Position.from_dict(stored) == position


def test_a_stored_position_from_another_version_still_reads(plan):
    ActionFactory(theme=ThemeFactory(plan=plan))
    (position,) = positions(Action.objects.all(), as_at=AS_AT)
    stored = position.to_dict()
    stored["a_field_added_later"] = "ignored"
    del stored["is_due_update"]  # written before the field was added

    assert Position.from_dict(stored).reference == position.reference


def actions_with_history(plan, count):
    themes = [ThemeFactory(plan=plan) for _ in range(3)]
    officer = UserFactory()
    for number in range(count):
        action = ActionFactory(theme=themes[number % 3])
        action.supporting_leads.set([LeadFactory(), LeadFactory()])
        for reported_on in (date(2022, 9, 1), date(2023, 1, 10)):
            ProgressUpdateFactory(
                action=action,
                reported_on=reported_on,
                rag=RAG.RED,
                worried_about="Late",
                entered_by=officer,
                revised_due_on=date(2023, 9, 30),
                revised_due_reason="Late",
            )


@pytest.mark.parametrize("count", [3, 60])
def test_positions_take_three_queries_however_many_actions(plan, count, django_assert_num_queries):
    actions_with_history(plan, count)

    # the actions with their state, plan, theme, lead and timeframe; their supporting
    # leads; their latest updates with who entered them
    with django_assert_num_queries(3):
        found = positions(Action.objects.all(), as_at=AS_AT)

    assert len(found) == count
    assert all(position.latest_entered_by and position.supporting_leads for position in found)


def work_for(actions, monkeypatch):
    """How many querysets positions() makes, and how many values to_dict() deep-copies,
    for `actions`."""
    calls = {"querysets": 0, "copies": 0}
    clone, deepcopy = QuerySet._clone, copy.deepcopy

    def counted_clone(queryset):
        calls["querysets"] += 1
        return clone(queryset)

    def counted_deepcopy(value, *args):
        calls["copies"] += 1
        return deepcopy(value, *args)

    with monkeypatch.context() as patched:
        patched.setattr(QuerySet, "_clone", counted_clone)
        patched.setattr(copy, "deepcopy", counted_deepcopy)
        frozen = [position.to_dict() for position in positions(actions, as_at=AS_AT)]
    assert len(frozen) == actions.count()
    return calls


def test_positions_and_their_frozen_copies_take_no_work_of_their_own_for_each_action(
    plan, monkeypatch
):
    actions_with_history(plan, 30)
    three = Action.objects.filter(pk__in=Action.objects.order_by("pk").values("pk")[:3])

    assert work_for(three, monkeypatch) == work_for(Action.objects.all(), monkeypatch)
