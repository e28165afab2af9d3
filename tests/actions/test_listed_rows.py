"""The lists of actions (the exception lists, a lead's page, My actions) read what their rows
show and leave the long text only an action's, theme's or plan's own page shows: each list
works out and sorts every matching row before picking its page, so every column read is
copied for every matching row (ActionQuerySet.listed)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.demo import demo_plan_generate
from actions.management.benchmark import (
    PAGES,
    demo_sample,
    demo_visitors,
    page_url,
)
from actions.models import Action

AS_AT = date(2025, 9, 30)
LISTS = ("overdue by lead", "at risk by theme", "lead (busiest)", "my actions")
# The columns of the long text, as each table names them.
UNLISTED_COLUMNS = {
    ("actions_action", "expected_outcome"),
    ("actions_action", "performance_measures"),
    ("actions_action", "delivered_through"),
    ("themes_theme", "description"),
    ("themes_theme", "performance_measures"),
    ("themes_plan", "vision"),
    ("themes_plan", "values"),
    ("themes_plan", "priorities"),
    ("actions_timeframe", "milestones"),
}
# What the rows show, read in the same query.
SHOWN_COLUMNS = {
    ("actions_action", "reference"),
    ("actions_action", "description"),
    ("themes_theme", "name"),
    ("themes_plan", "name"),
    ("actions_lead", "name"),
    ("actions_timeframe", "label"),
}


def quoted(table, column):
    quote = connection.ops.quote_name
    return f"{quote(table)}.{quote(column)}"


def selected(sql):
    """The SELECT list of a page's query (before its first FROM at the top level)."""
    depth = 0
    for index, character in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and sql.startswith(" FROM ", index):
            return sql[:index]
    return sql


@pytest.fixture
def demo(db):
    plan = demo_plan_generate(actions=40, updates_per_action=3, as_at=AS_AT)
    sample = demo_sample(plan)
    return plan, sample, demo_visitors(sample)


@pytest.mark.parametrize("name", LISTS)
def test_a_lists_query_reads_what_its_rows_show_and_not_the_long_text(name, demo, client):
    plan, sample, visitors = demo
    page = next(page for page in PAGES if page.name == name)
    client.force_login(visitors[page.visitor])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(page, plan=plan, sample=sample, as_at=AS_AT))

    assert response.status_code == 200
    listing = [query["sql"] for query in queries if '"list_length"' in query["sql"]]
    assert len(listing) == 1
    columns = selected(listing[0])
    for table, column in SHOWN_COLUMNS:
        assert quoted(table, column) in columns, (table, column)
    for table, column in UNLISTED_COLUMNS:
        assert quoted(table, column) not in columns, (table, column)


def test_a_listed_action_shows_its_row_without_another_query(demo, django_assert_num_queries):
    rows = list(Action.objects.listed().with_state(AS_AT).order_by("pk")[:5])

    with django_assert_num_queries(0):
        shown = [
            (
                row.reference,
                row.description,
                row.theme.name,
                row.theme.plan.name,
                str(row.lead),
                row.timeframe.label,
                row.due_on,
                row.latest_status,
            )
            for row in rows
        ]

    assert len(shown) == 5
    assert all(row[1] and row[2] and row[3] for row in shown)
    # The long text is still there for whoever asks (one query each), never lost.
    action = Action.objects.get(pk=rows[0].pk)
    with django_assert_num_queries(1):
        assert rows[0].expected_outcome == action.expected_outcome
