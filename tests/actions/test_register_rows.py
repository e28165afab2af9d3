"""The register's rows are drawn in plain code (ActionTable.body). What it draws must be
what django-tables2's rows drew through the template loop it replaced, cell for cell, for
the council's real plans as at a date with every kind of position."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django_tables2.rows import BoundRows

from actions import tables
from actions.models import Action
from tests.shown import register_cells as cells

# The loop includes/table.html drew the rows with, over django-tables2's own rows.
THE_TEMPLATES_ROWS = Template(
    """{% for row in rows %}<tr class="govuk-table__row">{% for column, cell in row.items %}"""
    """<td class="govuk-table__cell" data-label="{{ column.header }}">{{ cell }}</td>"""
    """{% endfor %}</tr>{% empty %}<tr class="govuk-table__row"><td class="govuk-table__cell" """
    """colspan="{{ table.columns|length }}">{{ table.empty_text }}</td></tr>{% endfor %}"""
)


def register_table(client, per_page, **params):
    """The register page's table as at 1 August 2021, every plan, sorted, one page."""
    query = {"as_at": "2021-08-01", "per_page": per_page, **params}
    return client.get(reverse("actions:register"), query).context["table"]


def records(table):
    """The page's actions with their state, read as the downloads read them: every
    matching action in the register's order, the page's slice of them."""
    matching = table.data.data
    every = matching.order_by(*tables.ActionTable.ordering(matching)).with_state(table.as_at)
    start = table.page.start_index() - 1
    return list(every.select_related("theme__plan", "lead", "timeframe"))[
        max(start, 0) : start + table.paginator.per_page
    ]


def django_tables2s(table):
    rows = BoundRows(data=records(table), table=table)
    return THE_TEMPLATES_ROWS.render(Context({"rows": rows, "table": table}))


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["reference", "-due", "rag", "last_update"])
def test_register_rows_draw_what_django_tables2_draws(real_plans, member, sort):
    table = register_table(member, 200, sort=sort)

    drawn = str(table.body())

    assert drawn.replace("\n", "") == django_tables2s(table)
    rows = cells(table)
    assert len(rows) == Action.objects.count()
    # Every kind of cell is among them: finished, rated and unrated actions, positions,
    # missing dates drawn as django-tables2's default.
    assert any("Complete" in row["RAG"] for row in rows)
    assert any("Not rated" in row["RAG"] for row in rows)
    assert any("Overdue" in row["Position"] for row in rows)
    assert any(row["Last update"] == "—" for row in rows)


@pytest.mark.django_db
def test_no_matching_rows_draw_the_empty_text_across_every_column(real_plans, member):
    table = register_table(member, 50, q="no action says this")

    assert str(table.body()) == django_tables2s(table)
    assert 'colspan="12">No actions match these filters.</td>' in str(table.body())


@pytest.mark.django_db
def test_text_needing_escaping_is_escaped_as_the_template_escaped_it(real_plans, member):
    action = Action.objects.order_by("pk").first()
    action.description = 'Fish & "chips" <b>now</b>'
    action.save()
    table = register_table(member, 200)

    assert str(table.body()).replace("\n", "") == django_tables2s(table)
    assert "Fish &amp; &quot;chips&quot; &lt;b&gt;now&lt;/b&gt;" in str(table.body())


@pytest.mark.django_db
def test_register_reads_render_arguments_once_a_column_not_once_a_cell(
    real_plans, member, monkeypatch
):
    calls = []
    original = tables.signature

    def counted(function):
        calls.append(function)
        return original(function)

    monkeypatch.setattr(tables, "signature", counted)
    for per_page in (5, 50):
        calls.clear()
        table = register_table(member, per_page)

        drawn = cells(table)

        assert len(drawn) == per_page
        # One for each column with a render method, of the 12 drawn.
        assert len(drawn[0]) == 12
        assert len(calls) == 9


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page, shows", [("999", "last"), ("0", "last"), ("-1", "last"), ("abc", 1)]
)
def test_a_page_number_that_isnt_one_of_the_registers_shows_the_last_or_first(
    real_plans, member, page, shows
):
    # A bookmarked page 3 of a filter that now matches fewer actions: the last page, drawn
    # with each row's state as the page itself draws it, not a server error.
    last = register_table(member, 20).paginator.num_pages
    assert last > 1
    number = last if shows == "last" else shows
    expected = cells(register_table(member, 20, page=number))

    response = member.get(
        reverse("actions:register"), {"as_at": "2021-08-01", "per_page": 20, "page": page}
    )

    assert response.status_code == 200
    table = response.context["table"]
    assert table.page.number == number
    assert cells(table) == expected
    assert any("Not rated" in row["RAG"] or "Complete" in row["RAG"] for row in expected)


@pytest.mark.django_db
def test_each_rows_links_go_to_its_action_theme_and_lead_keeping_the_date(real_plans, member):
    table = register_table(member, 200)
    actions = records(table)
    assert len(actions) == Action.objects.count()
    keep = table.keep_date
    assert keep

    for action, drawn in zip(actions, cells(table), strict=True):
        for column, address in [
            ("Action", reverse("actions:detail", args=[action.pk])),
            ("Theme", reverse("actions:theme", args=[action.theme_id])),
            ("Lead", reverse("actions:lead", args=[action.lead_id])),
        ]:
            assert f'href="{address}{keep}"' in drawn[column]


@pytest.mark.django_db
def test_the_registers_links_are_reversed_once_a_page_not_once_a_row(
    real_plans, member, reversed_addresses
):
    calls = reversed_addresses
    reversed_for = {}
    for per_page in (5, 50):
        calls.clear()
        table = register_table(member, per_page)

        assert len(cells(table)) == per_page
        reversed_for[per_page] = len(calls)

    # The action's, its theme's and its lead's page: each reversed once, for 5 rows or 50.
    assert reversed_for == {5: 3, 50: 3}
