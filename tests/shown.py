"""The actions a page's lists show, read from the page as a reader sees it: the lists and
the register are kept as drawn (cypeplan.paging.drawn_page, ActionTable.paginate), so their
rows are in the markup alone."""

import html
import re

from django.urls import reverse

from actions.models import Status

_REF = re.compile(r'<td class="govuk-table__cell" data-label="Ref">([^<]*)</td>')
_ACTION = re.compile(r'data-label="Action"><a class="govuk-link" href="([^"?]*)\?')
_CELL = re.compile(r'<td class="govuk-table__cell" data-label="([^"]*)">(.*?)</td>')
_STATUSES = {str(status.label): status.value for status in Status}


def shown_references(response):
    """The references of the actions a page's lists show, in order ("–" for none)."""
    return [html.unescape(ref) for ref in _REF.findall(response.content.decode())]


def shown_action_ids(response):
    """The ids of the actions a page's lists show, in order, from their rows' links."""
    around = reverse("actions:detail", args=[0]).split("0")
    pattern = re.compile(re.escape(around[0]) + r"(\d+)" + re.escape(around[1]) + "$")
    return [int(pattern.match(link)[1]) for link in _ACTION.findall(response.content.decode())]


def register_cells(table):
    """Each row of the register's page (its table) as {column heading: the cell as drawn}."""
    return [dict(_CELL.findall(row)) for row in table.page.object_list]


def register_shown(table):
    """(action id, latest status) for each row of the register's page, in its order."""
    return [
        (_action_id(row["Action"]), _STATUSES[html.unescape(row["Status"])])
        for row in register_cells(table)
    ]


def _action_id(cell):
    """The id of the action the cell's link goes to (/actions/<id>/, its date kept or not)."""
    return int(re.search(r'href="[^"?]*/(\d+)/["?]', cell)[1])
