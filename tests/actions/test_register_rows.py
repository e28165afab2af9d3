"""The register's rows are drawn by ActionTable's own row class, which finds each column's
render arguments once per page. What it draws must be what django-tables2's row draws,
cell for cell, for the council's real plans as at a date with every kind of position."""

import pytest
from django.urls import reverse
from django_tables2.rows import BoundRows

from actions import tables
from actions.models import Action


def register_table(client, per_page, **params):
    """The register page's table as at 1 August 2021, every plan, sorted, one page."""
    query = {"as_at": "2021-08-01", "per_page": per_page, **params}
    return client.get(reverse("actions:register"), query).context["table"]


def cells(rows):
    return [[(column.name, str(cell)) for column, cell in row.items()] for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["reference", "-due", "rag", "last_update"])
def test_register_rows_draw_what_django_tables2_draws(real_plans, member, sort):
    table = register_table(member, 200, sort=sort)
    ours = table.page.object_list
    assert isinstance(ours, tables._Rows)
    theirs = BoundRows(data=ours.data, table=table)

    drawn = cells(ours)

    assert drawn == cells(theirs)
    assert len(drawn) == Action.objects.count()
    shown = {name: {cell for row in drawn for column, cell in row if column == name}
             for name in ("rag", "position", "due", "last_update")}  # fmt: skip
    # Every kind of cell is among them: finished, rated and unrated actions, positions,
    # missing dates drawn as django-tables2's default.
    assert any("Complete" in cell for cell in shown["rag"])
    assert any("Not rated" in cell for cell in shown["rag"])
    assert any("Overdue" in cell for cell in shown["position"])
    assert "—" in shown["last_update"]


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
        table = register_table(member, per_page)

        calls.clear()
        drawn = cells(table.page.object_list)

        assert len(drawn) == per_page
        assert len(calls) == len(drawn[0]) == 12


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
    expected = cells(register_table(member, 20, page=number).page.object_list)

    response = member.get(
        reverse("actions:register"), {"as_at": "2021-08-01", "per_page": 20, "page": page}
    )

    assert response.status_code == 200
    table = response.context["table"]
    assert table.page.number == number
    assert cells(table.page.object_list) == expected
    assert any("Not rated" in cell or "Complete" in cell for row in expected for _, cell in row)


@pytest.mark.django_db
def test_each_rows_links_go_to_its_action_theme_and_lead_keeping_the_date(real_plans, member):
    table = register_table(member, 200)
    rows = list(table.page.object_list)
    assert len(rows) == Action.objects.count()
    keep = table.keep_date
    assert keep

    for row in rows:
        drawn = {column.name: str(cell) for column, cell in row.items()}
        action = row.record
        for column, address in [
            ("description", reverse("actions:detail", args=[action.pk])),
            ("theme", reverse("actions:theme", args=[action.theme_id])),
            ("lead", reverse("actions:lead", args=[action.lead_id])),
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

        assert len(table.page.object_list.data) == per_page
        reversed_for[per_page] = len(calls)

    # The action's, its theme's and its lead's page: each reversed once, for 5 rows or 50.
    assert reversed_for == {5: 3, 50: 3}
