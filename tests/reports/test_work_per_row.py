"""A large plan's report is made without work repeated for each of its rows where once
would do: its tables are rendered with the same template work for 2 rows as for 200.

(10,000 actions make about 210,000 cells: README, "Quarterly reports", has the timings.)
"""

from datetime import date

import pytest
from django.template import base as template_base
from django.template.loader import render_to_string

from reports import content
from reports.content import Table, words


def table_of(rows):
    return Table(
        "positions-theme-1",
        "positions",
        "Theme",
        "Every action’s position: Theme",
        ["Ref", "Action", "Evidence"],
        [
            [f"1.{n}", "Tell <parents> & carers\r\nabout it", "See https://example.org/a?b=1&c=2"]
            for n in range(rows)
        ],
        [1, 2, 3],
        linked_columns=(2,),
    )


def rendered(table, monkeypatch):
    """The table as the page shows it, and how many template variables were looked up."""
    lookups = []
    resolve = template_base.FilterExpression.resolve

    def counted(expression, context, ignore_failures=False):
        lookups.append(expression.token)
        return resolve(expression, context, ignore_failures)

    monkeypatch.setattr(template_base.FilterExpression, "resolve", counted)
    html = render_to_string("reports/includes/table.html", {"table": table})
    monkeypatch.undo()
    return html, len(lookups)


def test_a_report_tables_template_work_is_the_same_for_2_rows_as_for_200(monkeypatch):
    _, few = rendered(table_of(2), monkeypatch)
    _, many = rendered(table_of(200), monkeypatch)

    assert few == many


def test_a_report_tables_rows_read_as_before(monkeypatch):
    html, _ = rendered(table_of(1), monkeypatch)

    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    assert body == (
        '\n    \n      <tr class="govuk-table__row">\n        '
        '<th scope="row" class="govuk-table__header report-table__row-header">1.0</th>'
        '<td class="govuk-table__cell" data-label="Action">'
        "Tell &lt;parents&gt; &amp; carers<br>about it</td>"
        '<td class="govuk-table__cell" data-label="Evidence">See '
        '<a class="govuk-link app-web-address" href="https://example.org/a?b=1&amp;c=2" '
        'rel="noopener noreferrer">https://example.org/a?b=1&amp;c=2</a></td>'
        "\n      </tr>\n    \n  "
    )


@pytest.fixture
def dates_written(monkeypatch):
    """The dates the report's words format, each time they do (as ISO dates)."""
    written = []
    monkeypatch.setattr(
        words, "format_date", lambda value, form: written.append(value) or str(value)
    )
    words._short_date.cache_clear()
    yield written
    words._short_date.cache_clear()


def test_a_report_writes_each_date_once_however_many_rows_show_it(dates_written):
    words = [content.short_date(date(2022, 9, 30)) for _ in range(200)]

    assert dates_written == [date(2022, 9, 30)]
    assert set(words) == {"2022-09-30"}


def test_a_reports_short_dates_read_as_before():
    assert content.short_date(date(2022, 9, 30)) == "30 Sep 2022"
    assert content.short_date(None) == ""
