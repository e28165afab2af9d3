from operator import attrgetter

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.utils import signature

from cypeplan.govuk.dates import day_in_words
from cypeplan.kept import count_and_version, kept_value, rows_and_version

from .downloads import yes_no
from .models import Status, rag_words
from .presentation.addresses import Addresses
from .presentation.rows import shown
from .templatetags.cypeplan import position_tags, rag_tag

ROWS_PER_PAGE = 50
MAX_ROWS_PER_PAGE = 200
# Dates in the register as "31 Mar 2023".
TABLE_DATE = "j M Y"


class _Cell:
    """How one column's cells are drawn, found once a page: the value read along the
    column's accessor, the column's default for an empty value, else what the table's
    render method for it gives, written as `{{ cell }}` writes it. django-tables2 finds all
    of that again for every cell, and its rows and template loop were most of the time a
    register page took to draw (tests/actions/test_register_rows.py holds the rows to
    what django-tables2 draws)."""

    def __init__(self, table, bound):
        self.label = escape(bound.header)
        self.read = attrgetter(bound.accessor.replace("__", "."))
        self.empty = bound.column.empty_values
        self.default = bound.default
        self.render = getattr(table, f"render_{bound.name}", None)
        wants, takes_any = signature(self.render) if self.render else ((), False)
        if takes_any or set(wants) - {"record", "value"}:
            raise TypeError(f"render_{bound.name} may take only record and value.")
        self.wants_record, self.wants_value = "record" in wants, "value" in wants

    def __call__(self, record):
        value = self.read(record)
        if value in self.empty:
            value = self.default
        elif self.render:
            offered = {"record": record} if self.wants_record else {}
            if self.wants_value:
                offered["value"] = value
            value = self.render(**offered)
        return f'<td class="govuk-table__cell" data-label="{self.label}">{shown(value)}</td>'


class ActionTable(tables.Table):
    """The action register. Rows come from ActionQuerySet.with_state."""

    reference = tables.Column(
        verbose_name="Ref", order_by=("theme__plan__name", "theme__position", "position")
    )
    description = tables.Column(verbose_name="Action")
    plan = tables.Column(accessor="theme__plan__name", verbose_name="Plan")
    theme = tables.Column(
        accessor="theme__name",
        verbose_name="Theme",
        order_by=("theme__plan__name", "theme__position"),
    )
    lead = tables.Column(verbose_name="Lead", order_by=("lead__name", "lead__initials"))
    timeframe = tables.Column(
        accessor="timeframe__label", verbose_name="Timeframe", order_by="timeframe__due_on"
    )
    # The date overdue counts against (a revised date from the update that set it), and
    # the plan's own date beside it.
    due = tables.Column(accessor="due_on", verbose_name="Due")
    original_due = tables.Column(accessor="original_due_on", verbose_name="Originally due")
    status = tables.Column(accessor="latest_status", verbose_name="Status")
    # Always rendered: an empty RAG reads "Not rated", a finished action its status.
    rag = tables.Column(accessor="latest_rag", verbose_name="RAG", empty_values=())
    last_update = tables.Column(accessor="latest_reported_on", verbose_name="Last update")
    position = tables.Column(
        accessor="is_at_risk",
        verbose_name="Position",
        orderable=False,
        exclude_from_export=True,
    )
    overdue = tables.Column(accessor="is_overdue", verbose_name="Overdue", visible=False)
    at_risk = tables.Column(accessor="is_at_risk", verbose_name="At risk", visible=False)
    stale = tables.Column(accessor="is_stale", verbose_name="Stale", visible=False)

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "govuk-table register-table app-stack"}
        order_by = ("reference",)
        empty_text = "No actions match these filters."

    # Columns read from ActionQuerySet.with_state: sorting by one needs every row's state.
    STATE_COLUMNS = frozenset(
        ("due", "original_due", "status", "rag", "last_update", "overdue", "at_risk", "stale")
    )

    def __init__(self, *args, as_at, keep_date="", kept_as=(), version=None, **kwargs):
        self.as_at = as_at
        # What the page's rows are kept under, and the data's version as the page read it
        # (cypeplan/kept.py; Scope.kept_key and Scope.data_version): None, not kept.
        self.kept_as = kept_as
        self.version = version
        # Links to the action, theme and lead pages keep the register's as-at date.
        self.keep_date = f"?{keep_date}" if keep_date else ""
        self._address = Addresses()
        super().__init__(*args, **kwargs)

    @staticmethod
    def ordering(rows):
        """The register's order for its sorted rows: the sort, then ties in id order, the
        same on every page and in the downloads."""
        return [*rows.query.order_by, "pk"]

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        # ?per_page= is the reader's to choose, within reason: 1 to 200 rows a page.
        per_page = min(max(per_page or ROWS_PER_PAGE, 1), MAX_ROWS_PER_PAGE)
        self.paginator = paginator_class(self.rows, per_page, *args, **kwargs)
        # The count and the page's rows as drawn are kept while nothing in the database
        # changes, under the page's filters, sort and page (kept_as; cypeplan/kept.py).
        # Drawn, not as model instances, which took longer to read back than to draw.
        count, number, drawn = kept_value(
            (*self.kept_as, per_page, page),
            self.version,
            lambda: self._page_worked_out(per_page, page),
        )
        self.paginator.count = count
        self.page = self.paginator.page(number)
        # The page's rows, each as drawn.
        self.page.object_list = drawn
        return self

    def _page_worked_out(self, per_page, page):
        """(count, page number, the page's rows drawn) and the data's version the rows
        were read at, for kept_value: the version the count was read at when there are no
        rows; none when the two differ."""
        matching = self.data.data
        self.paginator.count, counted_at = count_and_version(matching)
        # A page number past the end (a bookmark of a list that has since got shorter), or
        # below 1, shows the last page, as the other lists do; django-tables2 would pick it
        # after this method, with rows lacking their state.
        number = self.paginator.get_page(page).number
        # The state of the rows shown, and only those: the page's ids are picked by the
        # filtered, sorted rows (which hold the state only if a filter or the sort needs it)
        # in a subquery, and the state worked out for them. One query, as before.
        ordering = self.ordering(matching)
        start = (number - 1) * per_page
        shown = matching.order_by(*ordering).values("pk")[start : start + per_page]
        rows, read_at = rows_and_version(
            matching.model.objects.filter(pk__in=shown)
            .with_state(self.as_at)
            .select_related("theme__plan", "lead", "timeframe")
            .order_by(*ordering)
        )
        if rows and read_at != counted_at:
            read_at = None
        drawn = self._draw(rows)
        return (self.paginator.count, number, drawn), read_at if rows else counted_at

    def body(self):
        """The page's rows as drawn, for includes/table.html; the empty text without any."""
        rows = self.page.object_list or [
            f'<tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(self.columns)}">{escape(self.empty_text)}</td></tr>'
        ]
        return mark_safe("\n".join(rows))

    def _draw(self, records):
        """Each of `records` as a row, drawn in plain code (_Cell)."""
        cells = [_Cell(self, bound) for bound in self.columns]
        return [
            '<tr class="govuk-table__row">' + "".join(cell(record) for cell in cells) + "</tr>"
            for record in records
        ]

    def _link(self, url, text):
        return format_html('<a class="govuk-link" href="{}{}">{}</a>', url, self.keep_date, text)

    def render_description(self, record, value):
        text = value if len(value) <= 160 else value[:157] + "…"
        return self._link(self._address("actions:detail", record.pk), text)

    def render_theme(self, record, value):
        return self._link(self._address("actions:theme", record.theme_id), value)

    def render_lead(self, record, value):
        return self._link(self._address("actions:lead", record.lead_id), value)

    def value_theme(self, value):
        return value

    def value_lead(self, value):
        return str(value)

    def value_description(self, value):
        return value

    def render_status(self, value):
        return Status(value).label

    # Each cell in plain code, not a template per cell (django-tables2's DateColumn renders
    # one): at 50 rows a page that was a third of the page's time.
    def render_due(self, value):
        return day_in_words(value, TABLE_DATE)

    def render_original_due(self, value):
        return day_in_words(value, TABLE_DATE)

    def render_last_update(self, value):
        return day_in_words(value, TABLE_DATE)

    def render_rag(self, record):
        return rag_tag(record.latest_rag, record.latest_status)

    def value_rag(self, record):
        return rag_words(record.latest_status, record.latest_rag)

    def render_position(self, record):
        return position_tags(record)

    def value_overdue(self, value):
        return yes_no(value)

    def value_at_risk(self, value):
        return yes_no(value)

    def value_stale(self, value):
        return yes_no(value)
