"""The register's rows as its page draws them (ActionTable keeps each row drawn)."""

import html
import re

from actions.models import Status

CELL = re.compile(r'<td class="govuk-table__cell" data-label="([^"]*)">(.*?)</td>')
ACTION_LINK = re.compile(r'href="/actions/(\d+)/')
STATUSES = {str(status.label): status.value for status in Status}


def cells(table):
    """Each row of the table's page as {column heading: the cell as drawn}."""
    return [dict(CELL.findall(row)) for row in table.page.object_list]


def shown(table):
    """(action id, latest status) for each row of the table's page, in its order."""
    return [
        (int(ACTION_LINK.search(row["Action"]).group(1)), STATUSES[html.unescape(row["Status"])])
        for row in cells(table)
    ]
