"""Spreadsheet downloads of the register and the exception lists, as CSV or Excel (XLSX).

Each file says what it is before its rows (plan, list, as-at date, filters, when it was
made), holds the columns the page shows plus the latest narratives and evidence, and is
written in constant memory: the CSV streams as its rows are read, the XLSX is written by
XlsxWriter row by row into a temporary file that is then streamed.
"""

import csv
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import xlsxwriter
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from .models import Lead, Status, rag_words
from .models.rules.position import _days_overdue, _exception_reasons

# The query-string parameter that asks for a download, and the formats there are.
DOWNLOAD_PARAM = "_export"
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Excel's limit for one cell: longer text is cut there and marked (see fit_cell).
CELL_LIMIT = 32_767
# Rows read from the database at a time: memory stays flat however many rows there are.
CHUNK_ROWS = 500

# Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection),
# with their full-width forms, which some spreadsheets read as the same.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
# Unicode categories a spreadsheet skips or shows as nothing before a formula: spaces,
# control characters (tab, CR, LF) and invisible format characters (zero-width space,
# byte-order mark, direction marks).
_SKIPPED_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def download_format(request):
    """The format a request asks for: None for the page itself, "csv" or "xlsx" for a
    download. Any other value is a page that doesn't exist (404), never an error."""
    requested = request.GET.get(DOWNLOAD_PARAM)
    if requested is None:
        return None
    if requested not in FORMATS:
        raise Http404("Downloads come as csv or xlsx.")
    return requested


def _shown_start(text):
    """The text from its first character a person (or a spreadsheet) would see."""
    for index, character in enumerate(text):
        if unicodedata.category(character) not in _SKIPPED_CATEGORIES:
            return text[index:]
    return ""


def looks_like_formula(value):
    """Whether a spreadsheet might run this text: it starts, after any spaces, tabs, line
    breaks or invisible characters, with a formula sign, or starts with a tab or carriage
    return."""
    if not isinstance(value, str) or not value or value[0].isalnum():
        return False
    return value[0] in "\t\r" or _shown_start(value).startswith(FORMULA_STARTS)


def inert(value):
    """A CSV cell value a spreadsheet will show as text rather than run: text that looks
    like a formula gets a leading apostrophe, as OWASP advises (a CSV can't mark a cell
    as text any other way)."""
    return "'" + value if looks_like_formula(value) else value


def cut_marker(length):
    return (
        f" … [CUT: the full text is {length:,} characters, more than a spreadsheet cell "
        "holds. The CSV download and the action’s page have all of it.]"
    )


def fit_cell(text):
    """(text, was_cut): text longer than a cell holds is cut to fit and ends with a
    marker saying so, never cut silently."""
    if len(text) <= CELL_LIMIT:
        return text, False
    marker = cut_marker(len(text))
    return text[: CELL_LIMIT - len(marker)] + marker, True


def yes_no(value):
    return "Yes" if value else "No"


@dataclass(frozen=True)
class Column:
    """One downloaded column: its heading, its width in Excel (characters), how to read
    it from a row, and whether it holds dates or numbers (otherwise text)."""

    header: str
    width: int
    value: Any
    kind: str = "text"


LEAD = Column("Lead", 24, lambda row: Lead.shown_as(row.lead__name, row.lead__initials))
THEME = Column("Theme", 30, lambda row: row.theme__name)
SOURCE = Column("Answers (recommendation or source)", 30, lambda row: row.answers)
COLUMNS = [
    Column("Ref", 6, lambda row: row.reference),
    Column("Action", 60, lambda row: row.description),
    Column("Plan", 30, lambda row: row.theme__plan__name),
    THEME,
    LEAD,
    SOURCE,
    Column("Timeframe", 16, lambda row: row.timeframe__label),
    Column("Due", 12, lambda row: row.due_on, "date"),
    Column("Original due date", 12, lambda row: row.original_due_on, "date"),
    Column("Why the due date changed", 30, lambda row: row.revised_due_reason),
    Column("Status", 14, lambda row: Status(row.latest_status).label),
    Column("RAG", 12, lambda row: rag_words(row.latest_status, row.latest_rag)),
    Column("Last update", 12, lambda row: row.latest_reported_on, "date"),
    Column("Overdue", 9, lambda row: yes_no(row.is_overdue)),
    Column("At risk", 9, lambda row: yes_no(row.is_at_risk)),
    Column("Stale", 9, lambda row: yes_no(row.is_stale)),
    Column("Days overdue", 9, _days_overdue, "number"),
    Column("Why an exception", 30, lambda row: "; ".join(_exception_reasons(row))),
    Column("What's working well and how do we know?", 50, lambda row: row.working_well),
    Column(
        "What are we worried about and what are we doing about it?",
        50,
        lambda row: row.worried_about,
    ),
    Column("Evidence", 40, lambda row: row.evidence),
    Column("Evidence links", 40, lambda row: row.evidence_links),
]

_FIELDS = (
    "state_as_at",
    "reference",
    "description",
    "answers",
    "theme__plan__name",
    "theme__name",
    "lead__name",
    "lead__initials",
    "timeframe__label",
    "due_on",
    "original_due_on",
    "revised_due_reason",
    "latest_status",
    "latest_rag",
    "latest_reported_on",
    "is_finished",
    "is_overdue",
    "is_at_risk",
    "is_stale",
    "is_due_soon_not_started",
)
_NARRATIVES = ("working_well", "worried_about", "evidence", "evidence_links")


def columns_grouped_by(group):
    """The columns, with the one a list is grouped by ("lead" or "theme") first, as the
    page shows it as each group's heading."""
    first = {"lead": LEAD, "theme": THEME, "source": SOURCE}.get(group)
    if first is None:
        return list(COLUMNS)
    return [first, *(column for column in COLUMNS if column is not first)]


def download_queryset(actions):
    """The downloaded fields of each action of a with_state queryset, in its order, with
    the latest update's narratives read from the update with_state found: one query."""
    return actions.values(*_FIELDS, **actions.latest_update_fields(_NARRATIVES))


def download_rows(actions):
    """download_queryset's rows, read a chunk at a time, with their fields as attributes
    (as the rules read an action's)."""
    rows = download_queryset(actions).iterator(chunk_size=CHUNK_ROWS)
    return (SimpleNamespace(**row) for row in rows)


@dataclass(frozen=True)
class Context:
    """What a download says about itself before its rows."""

    plan: str
    title: str  # the list's title, which names its sheet
    which: str  # which actions the list holds, in words
    as_at: date
    filters: list  # of "Label: value"
    made_at: Any  # an aware datetime
    grouped_by: str = ""  # "lead" or "theme" for the exception lists
    synthetic: bool = False

    def lines(self):
        """(label, value) pairs, values as people read them."""
        lines = [
            ("Plan", self.plan),
            (
                "List",
                f"{self.title}, grouped by {self.grouped_by}" if self.grouped_by else self.title,
            ),
            ("Which actions", self.which),
            ("Position as at", self.as_at),
            ("Filters", "; ".join(self.filters) or "None: every action in the list"),
            ("Made", timezone.localtime(self.made_at).replace(tzinfo=None, microsecond=0)),
        ]
        if self.synthetic:
            lines.append(("Note", "Synthetic demo data, generated: not a council plan."))
        return lines


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Line:
    """csv.writer writes into this and gets the line back, so rows can be yielded."""

    def write(self, text):
        return text


def _csv_lines(context, columns, rows):
    writer = csv.writer(_Line())
    # A byte-order mark, so Excel reads the file as UTF-8 ("Róisín", not "RÃ³isÃ­n").
    yield "\ufeff"
    for label, value in context.lines():
        if isinstance(value, date):
            time = "" if type(value) is date else f" at {value:%H:%M}"
            value = f"{value.day} {value:%B %Y}{time}"
        yield writer.writerow([label, inert(value)])
    yield writer.writerow([])
    yield writer.writerow([column.header for column in columns])
    for row in rows:
        yield writer.writerow([inert(_csv_text(column.value(row))) for column in columns])


def csv_response(context, columns, rows, filename):
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in _csv_lines(context, columns, rows)),
        content_type=CONTENT_TYPES["csv"],
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet_name(list_name):
    # Excel's rules: at most 31 characters, none of []:*?/\
    name = "".join(" " if character in "[]:*?/\\" else character for character in list_name)
    return name[:31]


def xlsx_response(context, columns, rows, filename):
    """The rows on a sheet with widths, a frozen header row, a filter on every column
    and dates as dates; an "About" sheet first with the context."""
    # Closed by FileResponse once sent; deleted by the system when closed.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    workbook = xlsxwriter.Workbook(
        file, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    day = workbook.add_format({"num_format": "d mmm yyyy"})
    moment = workbook.add_format({"num_format": "d mmm yyyy hh:mm"})
    # A text cell is never a formula, so its words go in exactly as written; text that
    # looks like one is also marked as text (Excel's quote prefix, an apostrophe it shows
    # only while editing), so editing the cell doesn't turn it into one.
    as_text = workbook.add_format({"quote_prefix": True})
    about = workbook.add_worksheet("About")
    sheet = workbook.add_worksheet(_sheet_name(context.title))

    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width, day if column.kind == "date" else None)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, header)
    row_number = 0
    cut_cells = 0
    for row_number, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            value = column.value(row)
            if value is None or value == "":
                continue
            if column.kind == "date":
                sheet.write_datetime(row_number, index, value, day)
            elif column.kind == "number":
                sheet.write_number(row_number, index, value)
            else:
                text, was_cut = fit_cell(str(value))
                cut_cells += was_cut
                sheet.write_string(
                    row_number, index, text, as_text if looks_like_formula(text) else None
                )
    sheet.autofilter(0, 0, row_number, len(columns) - 1)

    about.set_column(0, 0, 18)
    about.set_column(1, 1, 80)
    lines = [*context.lines(), ("Rows", row_number)]
    if cut_cells:
        lines.append(
            (
                "Long text",
                f"{cut_cells} cell{'s' if cut_cells != 1 else ''} held more text than a "
                f"spreadsheet cell can ({CELL_LIMIT:,} characters); each is cut there and "
                "ends with a [CUT …] note. The CSV download has the full text.",
            )
        )
    for number, (label, value) in enumerate(lines):
        about.write_string(number, 0, label, bold)
        if isinstance(value, date):
            about.write_datetime(number, 1, value, day if type(value) is date else moment)
        elif isinstance(value, int):
            about.write_number(number, 1, value)
        else:
            about.write_string(
                number, 1, fit_cell(value)[0], as_text if looks_like_formula(value) else None
            )
    workbook.close()
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
    )


def actions_download(actions, *, file_format, context, names):
    """The download of a with_state queryset of actions, in its order. `names` are the
    words of its file name (plan, list, ...) before the as-at date."""
    columns = columns_grouped_by(context.grouped_by)
    rows = download_rows(actions)
    stem = "-".join(slugify(name) for name in names if name)
    filename = f"{stem}-as-at-{context.as_at.isoformat()}.{file_format}"
    if file_format == "csv":
        return csv_response(context, columns, rows, filename)
    return xlsx_response(context, columns, rows, filename)
