"""with_state's searched path (a past date, or as known at a moment) joins each action's
latest update and latest due-date revision. On PostgreSQL those joins are LATERAL
subqueries that find the update by its key (actions/models/rules/expressions.py, _LateralJoin), so
PostgreSQL probes per action instead of hashing every update in the database. These tests
hold that SQL and show it keeps giving the rules' answers wherever the queryset goes:
filtered, sorted, counted, grouped, used as a subquery and asked for narratives."""

import re
from datetime import date

import pytest
from django.db import connection

from actions.models import RAG, Action, Status
from tests.factories import ActionFactory, PlanFactory, ProgressUpdateFactory, ThemeFactory

PAST = date(2023, 1, 15)
JOIN_OF_AN_UPDATE = 'JOIN "actions_progressupdate"'
LATERAL_JOIN = "JOIN LATERAL (SELECT "


def update(action, reported_on, rag, **fields):
    """An update whose narratives name it, so a test can tell which one was read."""
    name = f"{action.pk} {reported_on}"
    return ProgressUpdateFactory(
        action=action,
        reported_on=reported_on,
        rag=rag,
        worried_about=f"Worry {name}",
        evidence=f"Evidence {name}",
        **fields,
    )


@pytest.fixture
def actions(db):
    """Four actions with updates on both sides of PAST, one revising its due date."""
    theme = ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1)))
    made = [ActionFactory(theme=theme, timeframe__label="March 2023") for _ in range(4)]
    red, revised, finished, _never_updated = made
    update(red, date(2022, 12, 1), RAG.RED)
    update(red, date(2023, 2, 1), RAG.GREEN)
    update(
        revised,
        date(2022, 11, 1),
        RAG.AMBER,
        revised_due_on=date(2022, 12, 31),
        revised_due_reason="Waiting for the new provider",
    )
    update(revised, date(2023, 1, 10), RAG.AMBER)
    update(finished, date(2023, 1, 2), RAG.GREEN, status=Status.COMPLETE)
    return made


def sql_of(queryset):
    compiled, params = queryset.query.get_compiler(connection=connection).as_sql()
    return compiled


def expected(actions, flag):
    """The actions the single-action rules put under `flag` as at PAST."""
    chosen = []
    for action in actions:
        if getattr(action.state(PAST), flag):
            chosen.append(action.pk)
    return sorted(chosen)


def test_the_searched_updates_are_lateral_joins_on_postgresql_and_plain_joins_elsewhere(actions):
    sql = sql_of(Action.objects.with_state(PAST))

    if connection.vendor == "postgresql":
        assert sql.count(LATERAL_JOIN) == 2
        assert sql.count(" ON TRUE") == 2
        # Each reads the newest known update itself, one index probe per action, rather
        # than picking its key and fetching it by the key.
        reads_the_update = re.compile(
            r'JOIN LATERAL \(SELECT (\w+)\."id", \1\."key", [^()]* FROM "actions_progressupdate" '
            r'\1 WHERE \(.*?\) ORDER BY \1\."reported_on" DESC, \1\."id" DESC LIMIT 1\) '
            r"\w+ ON TRUE"
        )
        assert len(reads_the_update.findall(sql)) == 2, sql
        assert '"id" = (SELECT' not in sql
    else:
        assert LATERAL_JOIN not in sql
        assert sql.count(JOIN_OF_AN_UPDATE) == 2


def test_as_at_today_reads_the_kept_rows_and_joins_no_update(actions):
    sql = sql_of(Action.objects.with_state(date.today()))

    assert JOIN_OF_AN_UPDATE not in sql
    assert "LATERAL" not in sql


def test_narratives_asked_for_later_reuse_the_searched_join(actions):
    queryset = Action.objects.with_state(PAST)
    queryset = queryset.annotate(**queryset.latest_update_fields(["worried_about", "evidence"]))

    sql = sql_of(queryset)
    assert sql.count(JOIN_OF_AN_UPDATE) + sql.count(LATERAL_JOIN) == 2, sql
    got = {
        pk: (worried, evidence)
        for pk, worried, evidence in queryset.values_list("pk", "worried_about", "evidence")
    }
    for action in actions:
        latest = action.state(PAST).latest_update
        want = (latest.worried_about, latest.evidence) if latest else (None, None)
        assert got[action.pk] == want
    assert len({narratives for narratives in got.values() if narratives[0]}) == 3


@pytest.mark.parametrize("flag", ["is_overdue", "is_at_risk", "is_finished", "is_stale"])
def test_filtered_counted_and_used_as_a_subquery_they_agree_with_the_rules(actions, flag):
    want = expected(actions, flag)
    with_state = Action.objects.with_state(PAST)

    assert sorted(with_state.filter(**{flag: True}).values_list("pk", flat=True)) == want
    assert with_state.filter(**{flag: True}).count() == len(want)
    inside = Action.objects.filter(pk__in=with_state.filter(**{flag: True}).values("pk"))
    assert sorted(inside.values_list("pk", flat=True)) == want
    if connection.vendor == "postgresql":
        assert sql_of(inside).count(LATERAL_JOIN) == 2


def test_the_revised_due_date_and_its_reason_come_through_the_lateral_join(actions):
    revised = Action.objects.with_state(PAST).get(pk=actions[1].pk)

    assert revised.due_on == date(2022, 12, 31)
    assert revised.revised_due_reason == "Waiting for the new provider"
    assert revised.due_revised_on == date(2022, 11, 1)
    assert revised.is_overdue


def test_grouped_counts_agree_with_the_rules(actions):
    theme = Action.objects.filter(pk__in=[a.pk for a in actions]).rag_by_theme(PAST).get()

    assert theme["overdue"] == len(expected(actions, "is_overdue"))
    assert theme["at_risk"] == len(expected(actions, "is_at_risk"))
    assert theme["complete_or_closed"] == len(expected(actions, "is_finished"))
    assert theme["red"] == 1 and theme["amber"] == 1
