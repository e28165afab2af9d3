"""Spreadsheets in: an .xlsx or .csv file read into rows of text, with every problem named.

openpyxl reads workbooks (formulas come back as their text and are refused, never run);
the csv module reads CSV. What comes out is a list of (row number, {column key: text}), the
row numbers as the person sees them in their spreadsheet.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from actions.downloads import looks_like_formula

# How an OLE compound file starts: a password-protected workbook, or an old .xls.
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


class FileProblems(Exception):
    """Everything wrong with a file, each message naming the row, column and value."""

    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    hint: str
    example: str = ""


def size_limit_words():
    megabytes = settings.IMPORT_MAX_BYTES / 1_000_000
    return f"{megabytes:g} MB"


def quoted(value, limit=80):
    text = str(value)
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _cell_text(value):
    """A cell as the text a person typed: dates day first, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unescaped(text):
    """A workbook cell's text with OOXML's _xHHHH_ escapes undone, as Excel shows it
    (openpyxl leaves them): "_x000B_" is a vertical tab, "_x005F_x000B_" the words."""
    if "_x" not in text:
        return text
    text = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), text)
    # A character beyond the first 65,536 (an emoji) is escaped as its two UTF-16 halves,
    # "_xD83D__xDE00_": put together, they are the one character; half a pair alone is no
    # character at all (no database can store it), so it reads as the replacement mark.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _heading(text):
    return " ".join(text.split()).casefold()


def _first_row(sheet):
    for values in sheet.iter_rows(values_only=True):
        row = [_cell_text(value) for value in values]
        if any(row):
            return row
    return []


def _sheet(workbook, columns):
    """The sheet with every column's heading in its first row, else the first sheet: a
    plan may come after a sheet of notes."""
    wanted = {_heading(column.header) for column in columns}
    for sheet in workbook.worksheets:
        if wanted <= {_heading(text) for text in _first_row(sheet)}:
            return sheet
    return workbook.worksheets[0]


def _unpacked_size(data):
    """The bytes an .xlsx's parts unpack to, as its zip directory says (reading a part stops
    there, and a part that says less than it holds reads as damaged); None if the file is
    not a zip at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _xlsx_rows(data, columns):
    unpacked = _unpacked_size(data)
    if unpacked is not None and unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise FileProblems(
            [
                f"The workbook unpacks to {unpacked / 1_000_000:,.1f} MB, more than the "
                f"{settings.IMPORT_MAX_UNPACKED_BYTES / 1_000_000:g} MB we read: a workbook "
                "of its size holds far less. It may hold thousands of empty rows that have "
                "formatting: delete the rows below your last one, or save it as CSV."
            ]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    # SyntaxError: XML that can't be parsed (lxml's and ElementTree's errors are kinds of
    # it), including entities that would expand without end or name another file, which
    # the parser refuses rather than expands; TypeError: openpyxl refusing what it read.
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        SyntaxError,
    ) as error:
        if data.startswith(OLE_SIGNATURE):
            raise FileProblems(
                [
                    "The file is called .xlsx but is a password-protected workbook or an old "
                    "Excel 97-2003 (.xls) one, which we can’t read. If it has a password, "
                    "remove it (File, Info, Protect Workbook, Encrypt with Password); if it "
                    "is an old .xls, save it again from Excel as “Excel Workbook (.xlsx)”."
                ]
            ) from error
        raise FileProblems(
            [
                "The file is called .xlsx but is not an Excel workbook, or is damaged. "
                "Save it again from Excel as “Excel Workbook (.xlsx)”, or as CSV."
            ]
        ) from error
    sheet = _sheet(workbook, columns)
    problems = [
        f"Cells {cells} are merged: unmerge them and fill in every row, so each row says "
        "everything about itself."
        for cells in sorted(str(merged) for merged in sheet.merged_cells.ranges)
    ]
    rows = []
    for cells in sheet.iter_rows():
        values = []
        for cell in cells:
            if cell.data_type == "f":
                problems.append(
                    f"Row {cell.row}, column {cell.column_letter}: {quoted(cell.value)} is a "
                    "formula. Formulas are never run: type the text or date itself."
                )
                values.append("")
            else:
                values.append(_unescaped(_cell_text(cell.value)))
        rows.append(values)
    return rows, problems, sheet.title


def _marked_as_text(text):
    """A CSV cell's words. An apostrophe before text that looks like a formula is the mark
    spreadsheets (and our own CSV downloads) use to say "this is text", not part of the
    words, so it is dropped: "'=1+1 seats" is "=1+1 seats"."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


# What separates a CSV's cells: a comma; a semicolon in Excel's "CSV" where the decimal
# mark is a comma (much of Europe); a tab in Excel's "Unicode Text".
DELIMITERS = ",;\t"
# How a UTF-16 text file starts (Excel's "Unicode Text", and some "CSV" exports).
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16_without_bom(head):
    """Whether `head` reads as UTF-16 text with no byte order mark: zero bytes only in
    every other place, and in most of those (the high byte of each plain letter)."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (even.count(0) > len(even) / 2 and odd.count(0) == 0) or (
        odd.count(0) > len(odd) / 2 and even.count(0) == 0
    )


def _csv_text(data):
    if data[:2] in UTF16_BOMS:
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileProblems(
                [
                    "The file is called .csv and starts as UTF-16 text does, but is not "
                    "readable as UTF-16: it may be damaged. Save it from Excel as “CSV UTF-8”, "
                    "or upload the .xlsx."
                ]
            ) from error
    if _utf16_without_bom(data[:4096]):
        raise FileProblems(
            [
                "The file is called .csv and looks like UTF-16 text, but without the mark "
                "at its start that says so, so we can’t be sure how to read it. Save it from "
                "Excel as “CSV UTF-8”, or upload the .xlsx."
            ]
        )
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise FileProblems(
            [
                "The file is called .csv but is not text: it looks like a workbook or another "
                "kind of file. Save it from Excel as “CSV UTF-8”, or upload the .xlsx."
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _first_record(text, delimiter):
    """The first row with anything in it, read with `delimiter` ([] if none can be read)."""
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                return row
    except csv.Error:
        pass
    return []


def _delimiter(text, columns):
    """The delimiter whose header row holds the most of the columns' headings; if none
    holds any, the one csv.Sniffer finds among DELIMITERS; else a comma."""
    wanted = {_heading(column.header) for column in columns}
    found = {
        delimiter: len(wanted & {_heading(cell) for cell in _first_record(text, delimiter)})
        for delimiter in DELIMITERS
    }
    best = max(DELIMITERS, key=lambda delimiter: found[delimiter])
    if found[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _csv_rows(data, columns):
    text = _csv_text(data)
    # newline="" lets the csv module end lines as spreadsheets do: "\r\n", "\n", or "\r"
    # alone (Excel for Mac's "CSV (Macintosh)"), keeping line breaks inside a cell.
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, columns)):
            rows.append([value.strip() for value in row])
    except csv.Error as error:
        # The one thing the csv module refuses in text read this way: a cell longer than
        # csv.field_size_limit(), far longer than any column takes.
        raise FileProblems(
            [
                f"Row {len(rows) + 1}: a cell holds more than {csv.field_size_limit():,} "
                "characters, far more than any column takes. Shorten it (or check the row "
                "was not run together with the rows after it by an unclosed quotation mark)."
            ]
        ) from error
    problems = [
        f"Row {number}, column {index + 1}: {quoted(value)} looks like a formula. Formulas "
        "are never run: type the text itself (or start it with an apostrophe)."
        for number, row in enumerate(rows, start=1)
        for index, value in enumerate(row)
        if value.startswith("=")
    ]
    return [[_marked_as_text(value) for value in row] for row in rows], problems, None


def read_table(file_name, data, columns):
    """The file's rows under its header row, as (row number, {key: text}).

    Raises FileProblems naming every problem found: a file too large, of the wrong kind,
    empty, with wrong or missing columns, merged cells or formulas.
    """
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise FileProblems(
            [
                f"The file is {len(data) / 1_000_000:.1f} MB; the largest we take is "
                f"{size_limit_words()}. Split the plan into several files."
            ]
        )
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows, problems, sheet = _xlsx_rows(data, columns)
    elif name.endswith(".csv"):
        rows, problems, sheet = _csv_rows(data, columns)
    else:
        raise FileProblems(
            [f"{quoted(file_name)} is not an .xlsx or .csv file: save it as one of those."]
        )
    # Row numbers as the person sees them; blank rows are skipped, not renumbered.
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise FileProblems(["The file is empty: it has no header row and no rows."])
    header_number, headers = numbered[0]
    known = {_heading(column.header): column for column in columns}
    found, unknown = {}, []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = known.get(_heading(header))
        if column is None:
            unknown.append(header)
        elif column.key in found:
            problems.append(f"Row {header_number}: the column {quoted(header)} appears twice.")
        else:
            found[column.key] = index
    missing = [column.header for column in columns if column.key not in found]
    if missing:
        problems.append(
            f"Row {header_number} (the header row) is missing the column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(quoted(h) for h in missing)}. "
            "Download the template to see the layout."
            + (
                f" This is the sheet {quoted(sheet)}, the workbook’s first: no sheet in it has "
                "every heading."
                if sheet
                else ""
            )
        )
    if unknown:
        problems.append(
            f"Row {header_number} (the header row) has "
            f"column{'s' if len(unknown) > 1 else ''} we don’t know: "
            f"{', '.join(quoted(h) for h in unknown)}. Use the template’s headings."
        )
    table = [
        (number, {key: row[index] if index < len(row) else "" for key, index in found.items()})
        for number, row in numbered[1:]
    ]
    if not problems and not table:
        problems.append("The file has a header row but no rows under it.")
    if problems:
        raise FileProblems(problems)
    return table
