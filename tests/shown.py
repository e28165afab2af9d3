"""The actions a page's lists show, read from the page as a reader sees it: the lists are
kept as drawn (cypeplan.paging.drawn_page), so their rows are in the markup alone."""

import html
import re

from django.urls import reverse

_REF = re.compile(r'<td class="govuk-table__cell" data-label="Ref">([^<]*)</td>')
_ACTION = re.compile(r'data-label="Action"><a class="govuk-link" href="([^"?]*)\?')


def shown_references(response):
    """The references of the actions a page's lists show, in order ("–" for none)."""
    return [html.unescape(ref) for ref in _REF.findall(response.content.decode())]


def shown_action_ids(response):
    """The ids of the actions a page's lists show, in order, from their rows' links."""
    around = reverse("actions:detail", args=[0]).split("0")
    pattern = re.compile(re.escape(around[0]) + r"(\d+)" + re.escape(around[1]) + "$")
    return [int(pattern.match(link)[1]) for link in _ACTION.findall(response.content.decode())]
