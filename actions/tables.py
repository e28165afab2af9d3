import csv
import io

import django_tables2 as tables
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from openpyxl import Workbook

from .models import Lead, Status, rag_words

# Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A cell value a spreadsheet will show as text rather than run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def yes_no(value):
    return "Yes" if value else "No"


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
    due = tables.DateColumn(accessor="timeframe__due_on", verbose_name="Due", format="j M Y")
    status = tables.Column(accessor="latest_status", verbose_name="Status")
    # Always rendered: an empty RAG reads "Not rated", a finished action its status.
    rag = tables.Column(accessor="latest_rag", verbose_name="RAG", empty_values=())
    last_update = tables.DateColumn(
        accessor="latest_reported_on", verbose_name="Last update", format="j M Y"
    )
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
        attrs = {"class": "govuk-table register-table"}
        order_by = ("reference",)
        empty_text = "No actions match these filters."

    def __init__(self, *args, keep_date="", **kwargs):
        # Links to the action, theme and lead pages keep the register's as-at date.
        self.keep_date = f"?{keep_date}" if keep_date else ""
        super().__init__(*args, **kwargs)

    def _link(self, url, text):
        return format_html('<a class="govuk-link" href="{}{}">{}</a>', url, self.keep_date, text)

    def render_description(self, record, value):
        text = value if len(value) <= 160 else value[:157] + "…"
        return self._link(record.get_absolute_url(), text)

    def render_theme(self, record, value):
        return self._link(reverse("actions:theme", args=[record.theme_id]), value)

    def render_lead(self, record, value):
        return self._link(reverse("actions:lead", args=[record.lead_id]), value)

    def value_theme(self, value):
        return value

    def value_lead(self, value):
        return str(value)

    def value_description(self, value):
        return value

    def render_status(self, value):
        return Status(value).label

    def render_rag(self, record):
        return render_to_string(
            "includes/rag_tag.html",
            {"rag": record.latest_rag, "status": record.latest_status},
        )

    def value_rag(self, record):
        return rag_words(record.latest_status, record.latest_rag)

    def render_position(self, record):
        return render_to_string("includes/position_tags.html", {"action": record})

    def value_overdue(self, value):
        return yes_no(value)

    def value_at_risk(self, value):
        return yes_no(value)

    def value_stale(self, value):
        return yes_no(value)


# Each downloaded column, named as in ActionTable, from one row of DOWNLOAD_FIELDS.
DOWNLOAD_FIELDS = (
    "reference",
    "description",
    "theme__plan__name",
    "theme__name",
    "lead__name",
    "lead__initials",
    "timeframe__label",
    "timeframe__due_on",
    "latest_status",
    "latest_rag",
    "latest_reported_on",
    "is_overdue",
    "is_at_risk",
    "is_stale",
)
DOWNLOAD_CELLS = {
    "reference": lambda row: row["reference"],
    "description": lambda row: row["description"],
    "plan": lambda row: row["theme__plan__name"],
    "theme": lambda row: row["theme__name"],
    "lead": lambda row: Lead.shown_as(row["lead__name"], row["lead__initials"]),
    "timeframe": lambda row: row["timeframe__label"],
    "due": lambda row: row["timeframe__due_on"],
    "status": lambda row: Status(row["latest_status"]).label,
    "rag": lambda row: rag_words(row["latest_status"], row["latest_rag"]),
    "last_update": lambda row: row["latest_reported_on"],
    "overdue": lambda row: yes_no(row["is_overdue"]),
    "at_risk": lambda row: yes_no(row["is_at_risk"]),
    "stale": lambda row: yes_no(row["is_stale"]),
}
DOWNLOAD_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def register_download(table, download_format, filename):
    """The register's rows as CSV or XLSX: the table's columns (without Position, with
    Overdue, At risk and Stale), its order, its rows; one query, every cell inert.

    django-tables2's own export works cell by cell and took 5 to 10 seconds for
    10,000 actions; this reads one values() query.
    """
    columns = [
        column for column in table.columns.iterall() if not column.column.exclude_from_export
    ]
    headers = [str(column.header) for column in columns]
    cells = [DOWNLOAD_CELLS[column.name] for column in columns]
    rows = (
        [inert(cell(row)) for cell in cells]
        for row in table.data.data.values(*DOWNLOAD_FIELDS).iterator(chunk_size=2000)
    )
    response = HttpResponse(content_type=DOWNLOAD_TYPES[download_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if download_format == "csv":
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows(
            [value.isoformat() if hasattr(value, "isoformat") else value for value in row]
            for row in rows
        )
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response.write(buffer.getvalue())
    return response
