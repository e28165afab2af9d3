"""with_state's fields and flags are resolved once (actions/models/rules/expressions.py, _Settled).

Django resolves the left side of every lookup again as it compiles it, and each flag holds
the fields it reads, so an exception list's query used to copy and resolve the state's
expressions about 2,300 times each time it was compiled (25 ms at any size of plan). These
tests hold the saving, and show that a settled expression still gives the rules' answers
wherever its queryset goes, including inside another query that has state of its own."""

import pickle
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Func, OuterRef, Subquery
from django.db.models.expressions import BaseExpression
from django.db.models.sql.where import WhereNode
from django.utils import timezone

from actions.models import RAG, Action, DateConfirmation, ProgressUpdate, Status, Timeframe
from actions.models.rules.expressions import _Settled
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)

PAST = date(2023, 1, 15)


@pytest.fixture
def actions(db):
    """Actions on both sides of PAST: one Red, one whose due date is to be confirmed and
    was confirmed, one complete, one never updated."""
    theme = ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1)))
    red, confirmed, finished, never = (
        ActionFactory(theme=theme, timeframe__label="March 2023") for _ in range(4)
    )
    ProgressUpdateFactory(action=red, reported_on=date(2022, 12, 1), rag=RAG.RED)
    confirmed.timeframe = Timeframe(label="31/09/22", to_be_confirmed=True)
    confirmed.timeframe.save()
    confirmed.save()
    DateConfirmation.objects.create(
        action=confirmed,
        confirmed_on=date(2022, 12, 31),
        reason="Confirmed with the Head of Service",
        entered_by=UserFactory(),
    )
    ProgressUpdateFactory(action=confirmed, reported_on=date(2022, 11, 1), rag=RAG.AMBER)
    ProgressUpdateFactory(
        action=finished, reported_on=date(2023, 1, 2), rag=RAG.GREEN, status=Status.COMPLETE
    )
    return [red, confirmed, finished, never]


def resolutions_while_compiling(queryset, monkeypatch):
    """How many expressions and conditions are resolved while the queryset is compiled."""
    calls = []
    for cls in (BaseExpression, WhereNode):
        original = cls.resolve_expression

        def counting(self, *args, _original=original, **kwargs):
            calls.append(type(self).__name__)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "resolve_expression", counting)
    queryset.query.get_compiler(connection=connection).as_sql()
    monkeypatch.undo()
    return len(calls)


@pytest.mark.parametrize("when", ["today", "past"])
def test_compiling_an_exception_list_does_not_resolve_the_state_again(actions, monkeypatch, when):
    as_at = timezone.localdate() if when == "today" else PAST
    listing = (
        Action.objects.filter(theme__plan=actions[0].theme.plan)
        .at_risk(as_at)
        .exceptions_first(as_at, within=("lead__name",))
        .select_related("theme", "lead", "timeframe")
    )

    # 2,323 as at today and 974 as at a past date before the state was settled.
    assert resolutions_while_compiling(listing[:200], monkeypatch) < 300


@pytest.mark.parametrize("when", ["today", "past"])
def test_compiling_an_exception_list_writes_each_field_and_flag_once(actions, monkeypatch, when):
    as_at = timezone.localdate() if when == "today" else PAST
    listing = Action.objects.overdue(as_at).exceptions_first(as_at, within=("lead__name",))
    settled = [field for field in listing.query.annotations.values() if isinstance(field, _Settled)]
    written = []
    original = Func.as_sql

    def counting(self, *args, **kwargs):
        if isinstance(self, _Settled):
            written.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Func, "as_sql", counting)
    sql, _ = listing.query.get_compiler(connection=connection).as_sql()

    # Each flag and field is read many times over (is_at_risk alone reads latest_status
    # three times), but written once; a new compiler writes it again.
    assert len(settled) >= 15
    assert len(written) == len({id(field) for field in written}) <= len(settled)
    again, _ = listing.query.get_compiler(connection=connection).as_sql()
    assert again == sql


@pytest.mark.usefixtures("both_ways")
def test_a_compiled_state_queryset_pickles_and_gives_the_same_rows(actions):
    at_risk = Action.objects.with_state(PAST).filter(is_at_risk=True).order_by("pk")
    rows = [(action.pk, action.due_on, action.is_overdue) for action in at_risk]

    restored = pickle.loads(pickle.dumps(at_risk.all()))

    assert [(action.pk, action.due_on, action.is_overdue) for action in restored] == rows
    assert rows


def test_a_state_field_resolved_once_is_given_back_as_it_is(actions):
    query = Action.objects.with_state(PAST).query

    for name in ("latest_status", "due_on", "is_overdue", "is_at_risk"):
        field = query.annotations[name]
        assert isinstance(field, _Settled)
        assert field.resolve_expression(query) is field


def test_an_expression_holding_a_query_is_resolved_afresh_every_time(actions):
    query = Action.objects.all().query
    newest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-reported_on")
    holding = _Settled(Subquery(newest.values("rag")[:1])).resolve_expression(query)

    # Resolving it again gives its subquery new aliases, as Django needs.
    assert holding.resolve_expression(query) is not holding


@pytest.mark.usefixtures("both_ways")
@pytest.mark.parametrize("known", [None, "before the confirmation"])
def test_settled_state_agrees_with_the_rules_inside_another_query_with_state(actions, known):
    known_at = None
    if known:
        known_at = DateConfirmation.objects.get().entered_at - timedelta(seconds=1)
    inner = Action.objects.with_state(PAST, known_at).filter(is_at_risk=True).values("pk")
    outer = Action.objects.filter(pk__in=inner).with_state(PAST, known_at)

    got = {row.pk: (row.due_on, row.is_overdue, row.is_at_risk) for row in outer}
    want = {}
    for action in Action.objects.filter(pk__in=[a.pk for a in actions]):
        state = action.state(PAST, known_at)
        if state.is_at_risk:
            want[action.pk] = (state.due_on, state.is_overdue, state.is_at_risk)
    assert got == want
    assert want  # the Red action at least


@pytest.mark.usefixtures("both_ways")
def test_a_confirmed_date_is_read_as_known_at_each_moment(actions):
    confirmed = actions[1]
    entered_at = DateConfirmation.objects.get().entered_at

    before = Action.objects.with_state(PAST, entered_at - timedelta(seconds=1)).get(pk=confirmed.pk)
    after = Action.objects.with_state(PAST, entered_at).get(pk=confirmed.pk)
    today = Action.objects.with_state(PAST).get(pk=confirmed.pk)

    assert (before.original_due_on, before.is_overdue) == (None, False)
    assert (after.original_due_on, after.is_overdue) == (date(2022, 12, 31), True)
    assert (today.original_due_on, today.due_on) == (date(2022, 12, 31), date(2022, 12, 31))
