"""A report table's rows as HTML, written in one pass: a large plan's report has tens of
thousands of cells, and the template language's loops, tags and filters cost more per
cell than the page's whole rendering should (10,000 actions: about 210,000 cells)."""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import normalize_newlines

from cypeplan.govuk.text import web_links

register = template.Library()

ROW = '\n      <tr class="govuk-table__row">\n        {}\n      </tr>\n    '


def _lines(cell):
    """What linebreaksbr writes for a cell: escaped (unless marked safe), each newline a
    <br>."""
    words = normalize_newlines(str(cell))
    if not isinstance(cell, SafeData):
        words = escape(words)
    return words.replace("\n", "<br>")


@register.simple_tag
def report_table_rows(table):
    """The <tr>s of a reports.content.Table: the first cell heads its row; each other cell
    is labelled with its column (for the cards on a phone); the web addresses in the
    table's linked columns are links."""
    labels = [
        f'<td class="govuk-table__cell" data-label="{conditional_escape(column)}">'
        for column in table.columns
    ]
    linked = set(table.linked_columns)
    html = []
    for row in table.rows:
        cells = [
            '<th scope="row" class="govuk-table__header report-table__row-header">'
            f"{_lines(row[0])}</th>"
        ]
        for index in range(1, len(row)):
            cell = row[index]
            words = web_links(cell) if index in linked else _lines(cell)
            cells.append(f"{labels[index]}{words}</td>")
        html.append(ROW.format("".join(cells)))
    return mark_safe("".join(html))
