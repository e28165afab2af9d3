"""Downloads of the register and the exception lists, read back as a spreadsheet would:
context first, then the rows, with Excel's details (byte-order mark, frozen header,
filter, dates as dates) and no cell a spreadsheet would run as a formula."""

import csv
import html
import io
import re
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from openpyxl.utils import get_column_letter

from actions.downloads import CELL_LIMIT
from actions.models import RAG, Action, Status
from tests.actions.test_views import IMPROVEMENT_PLAN
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)
from tests.shown import register_cells, shown_references
from themes.models import Theme

IMPROVEMENT_PLAN_NAME = "Children's Continuous Improvement Plan 2021-24"
MADE = datetime(2026, 11, 29, 17, 30, 12)  # the frozen "now": when the files were made

COLUMNS = [
    "Ref", "Action", "Plan", "Theme", "Lead", "Answers (recommendation or source)",
    "Timeframe", "Due", "Original due date", "Why the due date changed", "Status", "RAG",
    "Last update", "Overdue", "At risk", "Stale", "Days overdue", "Why an exception",
    "What's working well and how do we know?",
    "What are we worried about and what are we doing about it?",
    "Evidence", "Evidence links",
]  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(MADE, tick=False):
        yield


def get(client, url_name, **params):
    return client.get(reverse(url_name), params)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response):
    """(context block as a dict, header, rows), checking the file starts with a BOM."""
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble accents"
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    blank = lines.index([])
    context = dict(lines[:blank])
    return context, lines[blank + 1], lines[blank + 2 :]


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def filename(response):
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def test_register_csv_names_its_plan_date_filters_and_when_made(real_plans, member):
    response = get(
        member, "actions:register", plan=IMPROVEMENT_PLAN, as_at="2021-08-01", _export="csv",
        at_risk="yes",
    )  # fmt: skip

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert filename(response) == f"{IMPROVEMENT_PLAN}-register-as-at-2021-08-01.csv"
    context, header, rows = read_csv(response)
    assert context["Plan"] == IMPROVEMENT_PLAN_NAME
    assert context["List"] == "Action register"
    assert context["Position as at"] == "1 August 2021"
    assert context["Filters"] == f"Plan: {IMPROVEMENT_PLAN_NAME}; At risk: Yes"
    assert context["Made"] == "29 November 2026 at 17:30"
    assert header == COLUMNS
    assert [row[0] for row in rows] == ["6.4", "6.6"]
    six_six = dict(zip(header, rows[1], strict=True))
    assert six_six["Timeframe"] == "Dec 21"
    assert six_six["Status"] == "Not started"
    assert (six_six["Overdue"], six_six["At risk"], six_six["Stale"]) == ("No", "Yes", "Yes")
    assert six_six["Why an exception"] == "No update for over 90 days"


def test_register_download_without_filters_says_so_and_covers_all_plans(real_plans, member):
    context, _, rows = read_csv(get(member, "actions:register", _export="csv"))

    assert context["Plan"] == "All plans"
    assert context["Filters"] == "None: every action in the list"
    assert {row[2] for row in rows} == {
        IMPROVEMENT_PLAN_NAME,
        "Children, Young People and Education (CYPE) Directorate Plan 2022-24",
    }


def test_register_download_keeps_the_registers_sort_order(real_plans, member):
    _, _, rows = read_csv(
        get(member, "actions:register", plan=IMPROVEMENT_PLAN, sort="-reference", _export="csv")
    )

    references = [row[0] for row in rows]
    assert references[0] == "7.3"
    assert references[-1] == "1.1"


@pytest.mark.parametrize("sort", ["-due", "due", "lead", "-latest_rag"])
def test_register_download_breaks_ties_as_the_page_does(real_plans, member, sort):
    """Many actions share a due date (and some a reference): the page breaks such ties by
    id, and the download must list them in the same order, as the README promises."""
    params = {"plan": IMPROVEMENT_PLAN, "sort": sort}
    _, header, rows = read_csv(get(member, "actions:register", **params, _export="csv"))
    page = member.get(reverse("actions:register"), {**params, "per_page": 200})
    on_screen = [
        (html.unescape(row["Ref"]), html.unescape(re.sub("<[^>]+>", "", row["Action"])))
        for row in register_cells(page.context["table"])
    ]

    # The page shortens a long description to 160 characters (ActionTable).
    def as_shown(text):
        return text if len(text) <= 160 else text[:157] + "…"

    assert [(row[header.index("Ref")], as_shown(row[header.index("Action")])) for row in rows] == (
        on_screen
    )


def test_overdue_list_downloads_grouped_as_on_screen_with_days_overdue(real_plans, member):
    response = get(
        member, "actions:overdue", plan=IMPROVEMENT_PLAN, as_at="2021-08-01", by="lead",
        _export="csv",
    )  # fmt: skip

    assert filename(response) == f"{IMPROVEMENT_PLAN}-overdue-by-lead-as-at-2021-08-01.csv"
    context, header, rows = read_csv(response)
    assert context["List"] == "Overdue actions, grouped by lead"
    assert context["Which actions"].startswith("Due before the as-at date")
    assert header[0] == "Lead" and header.count("Lead") == 1
    page = member.get(reverse("actions:overdue"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"})
    on_screen = shown_references(page)
    assert [row[header.index("Ref")] for row in rows] == on_screen
    assert sorted(on_screen) == ["5.2", "5.3", "5.4", "6.3", "7.1", "7.2", "7.3"]
    leads = [row[0] for row in rows]
    assert leads == sorted(leads, key=leads.index), "rows of one lead are together"
    for row in rows:
        days = int(row[header.index("Days overdue")])
        assert days > 0
        assert row[header.index("Why an exception")].startswith("Overdue")


def test_at_risk_list_downloads_grouped_by_theme(real_plans, member):
    response = get(
        member, "actions:at_risk", plan=IMPROVEMENT_PLAN, as_at="2021-08-01", by="theme",
        _export="xlsx",
    )  # fmt: skip

    assert filename(response) == f"{IMPROVEMENT_PLAN}-at-risk-by-theme-as-at-2021-08-01.xlsx"
    workbook = read_xlsx(response)
    assert workbook.sheetnames == ["About", "Actions at risk"]
    rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert rows[0][0] == "Theme"
    page = member.get(
        reverse("actions:at_risk"),
        {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01", "by": "theme"},
    )
    assert [row[1] for row in rows[1:]] == shown_references(page)
    assert all(row[rows[0].index("Why an exception")] for row in rows[1:])


def test_xlsx_has_widths_frozen_header_filter_and_real_dates(real_plans, member):
    response = get(
        member, "actions:register", plan=IMPROVEMENT_PLAN, as_at="2021-08-01", overdue="yes",
        _export="xlsx",
    )  # fmt: skip

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert filename(response) == f"{IMPROVEMENT_PLAN}-register-as-at-2021-08-01.xlsx"
    workbook = read_xlsx(response)
    about, sheet = workbook.worksheets
    assert about.title == "About"
    context = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert context["Plan"] == IMPROVEMENT_PLAN_NAME
    assert context["Position as at"] == datetime(2021, 8, 1)
    assert about["B4"].is_date
    assert context["Filters"] == f"Plan: {IMPROVEMENT_PLAN_NAME}; Overdue: Yes"
    assert context["Made"] == MADE
    assert context["Rows"] == 7

    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert sorted(row[0] for row in rows[1:]) == ["5.2", "5.3", "5.4", "6.3", "7.1", "7.2", "7.3"]
    assert {row[COLUMNS.index("Overdue")] for row in rows[1:]} == {"Yes"}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}{len(rows)}"
    assert sheet.column_dimensions["B"].width > 50  # the action's words
    assert sheet.column_dimensions["A"].width < 10  # its reference
    due = sheet.cell(row=2, column=COLUMNS.index("Due") + 1)
    assert due.is_date and isinstance(due.value, datetime)
    days = sheet.cell(row=2, column=COLUMNS.index("Days overdue") + 1)
    assert isinstance(days.value, int) and days.value > 0


@pytest.mark.django_db
def test_latest_narratives_and_evidence_are_columns(member):
    action = ActionFactory(reference="1.1")
    ProgressUpdateFactory(
        action=action, reported_on=date(2026, 6, 30), status=Status.IN_PROGRESS, rag=RAG.AMBER,
        worried_about="Older worry", working_well="Older",
    )  # fmt: skip
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2026, 9, 30),
        status=Status.COMPLETE,
        rag="",
        working_well="Róisín's panel met monthly",
        worried_about="Nothing now",
        evidence="Minutes of every meeting",
        evidence_links="https://example.org/minutes",
    )
    context, header, rows = read_csv(get(member, "actions:register", _export="csv"))

    row = dict(zip(header, rows[0], strict=True))
    assert row["What's working well and how do we know?"] == "Róisín's panel met monthly"
    assert row["What are we worried about and what are we doing about it?"] == "Nothing now"
    assert row["Evidence"] == "Minutes of every meeting"
    assert row["Evidence links"] == "https://example.org/minutes"
    assert row["RAG"] == "Complete"


@pytest.mark.django_db
def test_both_due_dates_and_the_reason_and_days_overdue_from_the_revised_date(member):
    # A plan still running: an ended one's lists open at its end (h10).
    action = ActionFactory(
        timeframe__label="March 2026",
        timeframe__due_on=date(2026, 3, 31),
        theme__plan__ends_on=date(2027, 3, 31),
    )
    ProgressUpdateFactory(
        action=action, reported_on=date(2026, 3, 1), status=Status.IN_PROGRESS, rag=RAG.AMBER,
        worried_about="Staff shortages", revised_due_on=date(2026, 9, 30),
        revised_due_reason="Recruitment took longer",
    )  # fmt: skip

    _, header, rows = read_csv(
        get(member, "actions:overdue", plan=action.theme.plan.slug, _export="csv")
    )

    row = dict(zip(header, rows[0], strict=True))
    assert (row["Original due date"], row["Due"]) == ("2026-03-31", "2026-09-30")
    assert row["Why the due date changed"] == "Recruitment took longer"
    assert row["Days overdue"] == str((date(2026, 11, 29) - date(2026, 9, 30)).days)


@pytest.mark.django_db
def test_lead_names_with_accents_survive(member):
    ActionFactory(lead=LeadFactory(name="Róisín Ní Bhriain", initials="RNB"))

    _, header, rows = read_csv(get(member, "actions:register", _export="csv"))

    assert rows[0][header.index("Lead")] == "Róisín Ní Bhriain (RNB)"


FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    " =1+1",
    "\u200b=HYPERLINK(1)",
    "\ufeff=1+1",
    "\u00a0\u200b =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\tplain text after a tab",
    "＝1+1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", FORMULAS, ids=repr)
def test_a_formula_like_cell_comes_out_inert_in_both_downloads(member, text):
    ActionFactory(description=text, reference="9.9")

    _, header, rows = read_csv(get(member, "actions:register", _export="csv"))
    assert rows[0][header.index("Action")] == "'" + text

    sheet = read_xlsx(get(member, "actions:register", _export="xlsx")).worksheets[1]
    cell = sheet.cell(row=2, column=2)
    # Text, never a formula, with its words exactly as written: no apostrophe added.
    assert cell.data_type == "s"
    # XML can't hold a bare carriage return: the file escapes it as Excel does.
    assert cell.value.replace("_x000D_", "\r") == text
    # Marked as text, so that editing the cell in Excel doesn't make it a formula.
    assert cell.quotePrefix


@pytest.mark.django_db
def test_a_formula_like_plan_name_is_inert_on_both_downloads_context(member):
    plan = PlanFactory(name="=1+1 plan", slug="formula-plan")
    ActionFactory(theme=ThemeFactory(plan=plan), description="Plain", reference="9.9")

    context, _, _ = read_csv(get(member, "actions:overdue", plan=plan.slug, _export="csv"))
    book = read_xlsx(get(member, "actions:overdue", plan=plan.slug, _export="xlsx"))

    assert context["Plan"] == "'=1+1 plan"
    about = {row[0].value: row[1] for row in book.worksheets[0].iter_rows()}
    assert (about["Plan"].value, about["Plan"].data_type) == ("=1+1 plan", "s")
    assert about["Plan"].quotePrefix


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["1.2 Plain words", "Ordinary - with a dash", "", "(TBC)"])
def test_ordinary_text_is_left_as_written(member, text):
    ActionFactory(description=text, reference="9.9")

    _, header, rows = read_csv(get(member, "actions:register", _export="csv"))

    assert rows[0][header.index("Action")] == text


@pytest.mark.django_db
def test_text_longer_than_a_cell_is_whole_in_the_csv_and_marked_in_the_xlsx(member):
    long_text = "Word " * 8000  # 40,000 characters
    ActionFactory(description=long_text, reference="9.9")

    _, header, rows = read_csv(get(member, "actions:register", _export="csv"))
    assert rows[0][header.index("Action")] == long_text

    workbook = read_xlsx(get(member, "actions:register", _export="xlsx"))
    cell = workbook.worksheets[1].cell(row=2, column=2).value
    assert len(cell) == CELL_LIMIT
    assert cell.startswith(long_text[:30000])
    assert cell.endswith(
        "[CUT: the full text is 40,000 characters, more than a spreadsheet cell holds. "
        "The CSV download and the action’s page have all of it.]"
    )
    about = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert about["Long text"].startswith("1 cell held more text than a spreadsheet cell can")


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["actions:register", "actions:overdue", "actions:at_risk"])
@pytest.mark.parametrize("export", ["json", "tsv", "ods", "yaml", "latex", "xls", "", "CSV"])
def test_unknown_download_formats_are_not_found(member, url_name, export):
    ActionFactory()

    response = member.get(reverse(url_name), {"_export": export})

    assert response.status_code == 404


@pytest.mark.django_db
def test_exception_list_pages_offer_both_downloads_keeping_date_and_grouping(real_plans, member):
    response = member.get(
        reverse("actions:overdue"),
        {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01", "by": "theme"},
    )

    html = response.content.decode()
    for file_format in ("csv", "xlsx"):
        assert (
            f'href="?plan={IMPROVEMENT_PLAN}&amp;as_at=2021-08-01&amp;by=theme'
            f'&amp;_export={file_format}"'
        ) in html
    assert "Download these 7 actions, grouped by theme" in html


@pytest.mark.django_db
def test_a_synthetic_plan_says_so_in_its_download(member):
    action = ActionFactory(theme__plan__is_synthetic=True)

    context, _, _ = read_csv(
        get(member, "actions:overdue", plan=action.theme.plan.slug, _export="csv")
    )

    assert context["Note"] == "Synthetic demo data, generated: not a council plan."


def test_the_registers_not_rated_filter_lists_what_the_dashboard_counts(real_plans, member):
    """A finished action shows its status, not a rating: "Not rated" is the unfinished
    actions without one, as the dashboard's RAG by theme counts them."""
    as_at = date(2022, 3, 31)
    _, header, rows = read_csv(
        get(member, "actions:register", plan=IMPROVEMENT_PLAN, rag="none", as_at=as_at,
            _export="csv")
    )  # fmt: skip
    themes = Action.objects.filter(theme__plan__slug=IMPROVEMENT_PLAN).rag_by_theme(as_at)

    assert len(rows) == sum(theme["not_rated"] for theme in themes) > 0
    assert {row[header.index("RAG")] for row in rows} == {"Not rated"}


def xlsx_as_csv(heading, cell):
    """The CSV's text for an XLSX cell, checking the cell is of its column's type."""
    if cell.value is None:
        return ""
    if heading in ("Due", "Original due date", "Last update"):
        assert cell.is_date and cell.number_format == "d mmm yyyy", (heading, cell.value)
        return cell.value.date().isoformat()
    if heading == "Days overdue":
        assert type(cell.value) is int, (heading, cell.value)
        return str(cell.value)
    assert cell.data_type == "s" and cell.number_format == "General", (heading, cell.value)
    # Text the CSV marks with an apostrophe is marked as text in the XLSX, and no other.
    return "'" + cell.value if cell.quotePrefix else cell.value


def test_the_xlsx_holds_the_csvs_cells_as_dates_numbers_and_text(real_plans, member):
    theme = Theme.objects.filter(plan__slug=IMPROVEMENT_PLAN).first()
    ProgressUpdateFactory(
        action=ActionFactory(theme=theme, reference="9.9", description="=1+1 panels"),
        reported_on=date(2026, 9, 30), status=Status.IN_PROGRESS, rag=RAG.AMBER,
        working_well="+ a new panel", worried_about="-2 staff short", evidence="@ minutes",
        evidence_links="https://example.org/minutes",
    )  # fmt: skip
    params = {"plan": IMPROVEMENT_PLAN, "sort": "-due"}

    _, header, csv_rows = read_csv(get(member, "actions:register", **params, _export="csv"))
    sheet = read_xlsx(get(member, "actions:register", **params, _export="xlsx")).worksheets[1]

    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == header == COLUMNS
    assert all(cell.font.b and cell.alignment.wrap_text for cell in rows[0])
    xlsx_rows = [
        [xlsx_as_csv(heading, cell) for heading, cell in zip(header, row, strict=True)]
        for row in rows[1:]
    ]
    assert xlsx_rows == csv_rows
    assert len(csv_rows) == Action.objects.filter(theme__plan__slug=IMPROVEMENT_PLAN).count()
    assert [
        row[header.index(heading)]
        for row in xlsx_rows
        if row[0] == "9.9"
        for heading in ("Action", COLUMNS[18], COLUMNS[19], "Evidence")
    ] == ["'=1+1 panels", "'+ a new panel", "'-2 staff short", "'@ minutes"]
    kinds = {type(cell.value) for row in rows[1:] for cell in row}
    assert kinds == {str, int, datetime, type(None)}
