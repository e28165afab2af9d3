import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.html import format_html
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import signature

from cypeplan.govuk.dates import day_in_words

from .downloads import yes_no
from .models import Status, rag_words
from .presentation.addresses import Addresses
from .templatetags.cypeplan import position_tags, rag_tag

ROWS_PER_PAGE = 50
MAX_ROWS_PER_PAGE = 200
# Dates in the register as "31 Mar 2023".
TABLE_DATE = "j M Y"


class _Rows(BoundRows):
    """The page's rows, each drawing its cells with the columns and the arguments their
    render methods take found once per page (_Row)."""

    def __iter__(self):
        columns = [(column, signature(column.render)) for column in self.table.columns]
        for record in self.data:
            yield _Row(record, table=self.table, columns=columns)


class _Row(BoundRow):
    """django-tables2's row, cell for cell, less the work it repeats for every cell: it
    looks each column up by name among them all and inspects its render method's
    signature again. A 50-row register's table took a third longer to draw with it."""

    def __init__(self, record, table, columns):
        super().__init__(record, table=table)
        self._columns = columns

    def items(self):
        for column, (arguments, takes_any) in self._columns:

            def render(bound_column, value=None, arguments=arguments, takes_any=takes_any):
                offered = self._optional_cell_arguments(bound_column, value)
                if takes_any:
                    content = bound_column.render(**offered)
                elif all(name in offered for name in arguments):
                    content = bound_column.render(**{name: offered[name] for name in arguments})
                else:  # as django-tables2 does, for a render method wanting what it can't have
                    content = None
                return bound_column.link(content, **offered) if bound_column.link else content

            column.current_value = self._get_and_render_with(column, render, column.default)
            column.current_record = self.record
            yield (column, column.current_value)


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

    def __init__(self, *args, as_at, keep_date="", **kwargs):
        self.as_at = as_at
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
        # A page number past the end (a bookmark of a list that has since got shorter), or
        # below 1, shows the last page, as the other lists do; django-tables2 would pick it
        # after this method, with rows lacking their state.
        self.page = self.paginator.get_page(page)
        # The state of the rows shown, and only those: the page's ids are picked by the
        # filtered, sorted rows (which hold the state only if a filter or the sort needs it)
        # in a subquery, and the state worked out for them. One query, as before.
        matching = self.data.data
        ordering = self.ordering(matching)
        start = max(self.page.start_index() - 1, 0)
        shown = matching.order_by(*ordering).values("pk")[start : start + per_page]
        rows = (
            matching.model.objects.filter(pk__in=shown)
            .with_state(self.as_at)
            .select_related("theme__plan", "lead", "timeframe")
            .order_by(*ordering)
        )
        self.page.object_list = _Rows(data=rows, table=self)
        return self

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
