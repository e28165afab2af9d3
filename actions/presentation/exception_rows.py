"""The rows of the overdue and at-risk lists (templates/actions/exception_list.html).

Plain code rather than template code: a list draws up to 200 rows a page, ten cells each,
and drawing them through the template engine, node by node, was most of the page's time.
The markup is what the template drew (tests/actions/test_exception_rows.py holds it to
that), and the values are shown as `{{ }}` shows them: localized, then escaped."""

import html

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from cypeplan.govuk.dates import govuk_date
from cypeplan.govuk.text import shortened

from .addresses import Addresses
from .tags import due_date, rag_tag, status_label

register = template.Library()


def _shown(value):
    """What `{{ value }}` writes: localized, then escaped unless it is markup already.
    Django's conditional_escape, without its cost for every cell of every row."""
    value = localize(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _cells(cells, numeric=False):
    classes = "govuk-table__cell govuk-table__cell--numeric" if numeric else "govuk-table__cell"
    return "".join(
        f'\n                <td class="{classes}" data-label="{label}">{_shown(value)}</td>'
        for label, value in cells
    )


def _last_updated(action):
    if not action.latest_reported_on:
        return "Never"
    days = action.days_since_update
    return mark_safe(
        f"{_shown(govuk_date(action.latest_reported_on, 'j M Y'))}<br>"
        f'<span class="govuk-hint govuk-!-font-size-16">{_shown(days)} '
        f"day{'' if days == 1 else 's'} before</span>"
    )


def exception_row(action, by, keep_date, address):
    """One action's row: its cells in the order of the list's columns."""
    link = mark_safe(
        f'<a class="govuk-link" href="{_shown(address("actions:detail", action.pk))}'
        f'?{_shown(keep_date)}">{_shown(shortened(action.description, 160))}</a>'
    )
    by_theme = by == "theme"
    return (
        '<tr class="govuk-table__row">'
        + _cells(
            (
                ("Ref", action.reference or "–"),
                ("Action", link),
                ("Lead" if by_theme else "Theme", action.lead if by_theme else action.theme.name),
                ("Timeframe", action.timeframe.label),
                ("Due", due_date(action)),
            )
        )
        + _cells(
            (("Days overdue", "–" if action.days_overdue is None else action.days_overdue),),
            numeric=True,
        )
        + _cells(
            (
                ("Latest status", status_label(action.latest_status)),
                (
                    "RAG",
                    rag_tag(action.latest_rag, action.latest_status, action.latest_reported_on),
                ),
                ("Last updated", _last_updated(action)),
                ("Why an exception", "; ".join(map(str, action.exception_reasons)) or "–"),
            )
        )
        + "\n              </tr>"
    )


@register.simple_tag(takes_context=True)
def exception_rows(context, actions, by, keep_date):
    """`{% exception_rows group.list by scope.keep_date %}`: the rows of one group of an
    exception list, grouped `by` lead, theme or source, their links keeping the date. The
    page's groups share one Addresses."""
    address = context.render_context.setdefault(Addresses, Addresses())
    return mark_safe(
        "\n              ".join(exception_row(action, by, keep_date, address) for action in actions)
    )
