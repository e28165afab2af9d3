"""The rows of the lists of actions: the overdue and at-risk lists
(templates/actions/exception_list.html) and the lead's and theme's pages
(templates/includes/action_table.html).

Plain code rather than template code: a list draws up to 200 rows a page, ten cells each,
and drawing them through the template engine, node by node, was most of the page's time.
The markup is what the templates drew (tests/actions/test_list_rows.py holds it to that),
and the values are shown as `{{ }}` shows them: localized, then escaped."""

import html

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from cypeplan.govuk.dates import govuk_date
from cypeplan.govuk.text import shortened

from .addresses import Addresses
from .tags import due_date, position_tags, rag_tag, status_label

register = template.Library()

NO_ACTIONS = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="10">No actions.</td></tr>'
)


def shown(value):
    """What `{{ value }}` writes: localized, then escaped unless it is markup already.
    Django's conditional_escape, without its cost for every cell of every row."""
    value = localize(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _cells(cells, numeric=False, indent=16):
    classes = "govuk-table__cell govuk-table__cell--numeric" if numeric else "govuk-table__cell"
    return "".join(
        f'\n{" " * indent}<td class="{classes}" data-label="{label}">{shown(value)}</td>'
        for label, value in cells
    )


def _last_updated(action):
    if not action.latest_reported_on:
        return "Never"
    days = action.days_since_update
    return mark_safe(
        shown(govuk_date(action.latest_reported_on, "j M Y"))
        + _hint(f"{localize(days)} day{'' if days == 1 else 's'} before")
    )


def _link(action, keep_date, address):
    """The link to the action's page, keeping the as-at date, named by its description."""
    return mark_safe(
        f'<a class="govuk-link" href="{shown(address("actions:detail", action.pk))}'
        f'?{shown(keep_date)}">{shown(shortened(action.description, 160))}</a>'
    )


def _hint(text):
    return mark_safe(f'<br><span class="govuk-hint govuk-!-font-size-16">{shown(text)}</span>')


def exception_row(action, by, keep_date, address):
    """One action's row on an exception list: its cells in the order of the columns."""
    by_theme = by == "theme"
    return (
        '<tr class="govuk-table__row">'
        + _cells(
            (
                ("Ref", action.reference or "–"),
                ("Action", _link(action, keep_date, address)),
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
    address = _addresses(context)
    return mark_safe(
        "\n              ".join(exception_row(action, by, keep_date, address) for action in actions)
    )


def _addresses(context):
    """The Addresses the page being drawn shares among its lists and groups."""
    return context.render_context.setdefault(Addresses, Addresses())


def action_row(action, keep_date, address, show_theme, show_plan, show_lead, lead):
    """One action's row in a table of actions (includes/action_table.html)."""
    cells = [("Ref", action.reference or "–"), ("Action", _link(action, keep_date, address))]
    if show_theme:
        theme = shown(action.theme.name)
        if show_plan:
            theme += _hint(action.theme.plan.name)
        cells.append(("Theme", mark_safe(theme)))
    if show_lead:
        cells.append(("Lead", action.lead))
    if lead:
        cells.append(("Role", "Accountable" if action.lead_id == lead.pk else "Supporting"))
    position = position_tags(action)
    if action.risk_reasons:
        position = mark_safe(position + _hint("; ".join(map(str, action.risk_reasons))))
    cells += [
        ("Timeframe", action.timeframe.label),
        ("Due", due_date(action)),
        ("Latest status", status_label(action.latest_status)),
        ("RAG", rag_tag(action.latest_rag, action.latest_status, action.latest_reported_on)),
        ("Position", position),
    ]
    return '<tr class="govuk-table__row">' + _cells(cells, indent=8) + "\n      </tr>"


@register.simple_tag(takes_context=True)
def action_rows(
    context, actions, keep_date, show_theme=False, show_plan=False, show_lead=False, lead=None
):
    """`{% action_rows page keep_date show_theme=... show_plan=... show_lead=... lead=... %}`:
    the rows of a table of actions with the columns it chooses; `lead`, when given, marks
    the role that lead plays in each."""
    address = _addresses(context)
    rows = [
        action_row(action, keep_date, address, show_theme, show_plan, show_lead, lead)
        for action in actions
    ]
    return mark_safe("\n      ".join(rows or [NO_ACTIONS]))
