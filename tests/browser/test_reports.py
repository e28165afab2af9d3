"""The quarterly report in Chromium: no axe-core violations, and printed on A4 no table is
wider than the page, the running header is on every page and no form control prints."""

import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actions.models import Action, Status
from reports.services import quarterly_report_publish
from tests.browser.conftest import CYPE_PLAN, assert_no_axe_violations, screenshot, sign_in
from tests.browser.test_phone_and_paper import TABLES_CUT_OFF, WIDER_THAN_SCREEN
from tests.factories import ProgressUpdateFactory
from themes.models import Plan

pytestmark = pytest.mark.browser

# A4 less the print margins (15 mm 12 mm): 186 mm wide, in CSS pixels at 96 per inch.
A4_TEXT_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)


@pytest.fixture
def report(real_plans):
    """The CYPE plan's Quarter 2 2022/23 report, with an overdue action carrying long
    narratives and an evidence link with no spaces to break at."""
    action = Action.objects.filter(theme__plan__slug=CYPE_PLAN).order_by("pk").first()
    with time_machine.travel(datetime(2022, 9, 20, 9, tzinfo=ZoneInfo("Europe/London"))):
        ProgressUpdateFactory(
            action=action,
            reported_on=date(2022, 9, 15),
            status=Status.IN_PROGRESS,
            rag="red",
            working_well="Partners meet monthly. " * 20,
            worried_about="Recruitment is behind plan. " * 20,
            evidence="Minutes of the partnership board",
            evidence_links="https://example.org/" + "a-very-long-path-segment" * 8,
        )
    return quarterly_report_publish(
        plan=Plan.objects.get(slug=CYPE_PLAN),
        quarter_ends_on=date(2022, 9, 30),
        report_to="Children and Young People Scrutiny Sub-Committee 7 March 2023",
    )


def test_the_report_pages_have_no_accessibility_failures(page, report, scrutiny_member):
    sign_in(page, "councillor")
    for path in ["/reports/", f"/reports/{report.pk}/"]:
        page.goto(path)
        assert_no_axe_violations(page, path)
        screenshot(page, f"report {path}")


def test_the_draft_preview_has_no_accessibility_failures(page, report, administrator):
    sign_in(page, "planadmin")
    page.goto(f"/reports/draft/?plan={CYPE_PLAN}&quarter_ends_on=2022-12-31")
    assert page.get_by_text("Draft, not published", exact=True).count() == 1
    assert_no_axe_violations(page, "draft")


MEASURE = """() => {
    const page = document.documentElement.clientWidth;
    return [...document.querySelectorAll("table")].map(table => ({
        id: table.id || table.className,
        right: table.getBoundingClientRect().right,
        overflow: table.scrollWidth - table.clientWidth,
        page,
    }));
}"""

VISIBLE_CONTROLS = """() => [
    ...document.querySelectorAll("input:not([type=hidden]), select, textarea, button")
].filter(el => el.offsetParent !== null).map(el => el.outerHTML)"""


def test_printed_on_a4_no_table_is_wider_than_the_page(page, report, scrutiny_member, tmp_path):
    sign_in(page, "councillor")
    page.goto(f"/reports/{report.pk}/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_TEXT_WIDTH_PX, "height": 1000})

    tables = page.evaluate(MEASURE)

    assert len(tables) > 5
    for table in tables:
        assert table["right"] <= table["page"] + 1, f"{table['id']} is wider than A4: {table}"
        assert table["overflow"] <= 1, f"{table['id']} overflows its width: {table}"
    assert page.evaluate(VISIBLE_CONTROLS) == []

    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [text for text in pages if text.strip()]
    assert len(pages) > 1
    running = "Quarter 2 2022/23 · position as at 30 September 2022 · Version 1"
    for number, text in enumerate(pages, start=1):
        assert running in " ".join(text.split()), f"page {number} lacks the running header"
        assert f"Page {number} of {len(pages)}" in text


def test_the_report_list_and_a_report_with_late_changes_fit_a_phone(page, report, scrutiny_member):
    action = Action.objects.filter(theme__plan__slug=CYPE_PLAN).order_by("pk")[1]
    # Entered after publication, reporting on a day in the quarter: a late change.
    ProgressUpdateFactory(
        action=action, reported_on=date(2022, 9, 29), status=Status.COMPLETE, evidence="Done"
    )
    sign_in(page, "councillor")
    problems = []
    for path in ["/reports/", f"/reports/{report.pk}/"]:
        page.goto(path)
        if path != "/reports/":
            assert page.get_by_text("Positions changed by later entries").count() == 1
        for width in (390, 320):
            page.set_viewport_size({"width": width, "height": 900})
            problems += [f"{path} at {width}px: {p}" for p in page.evaluate(WIDER_THAN_SCREEN)]
        page.set_viewport_size({"width": 1280, "height": 900})

    assert problems == []


# How each report table lays out its rows: as table rows, or as cards (display: block).
ROW_DISPLAYS = """() => [...new Set([...document.querySelectorAll(".report-table tbody tr")]
    .map((row) => getComputedStyle(row).display))]"""


LABEL = """(cell) => {
    const label = getComputedStyle(cell, "::before");
    return [label.content, label.position];
}"""


def tables_on_a_phone(page, path):
    """What is wrong with `path`'s tables at a phone's widths: a table running past the
    screen's edge (scrolling sideways in its region), or the page wider than the screen.
    Each row should be a card; at 1280 pixels and printed, rows stay table rows."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path)
    assert page.evaluate(ROW_DISPLAYS) == ["table-row"]
    problems = []
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{path} at {width}px: {p}" for p in page.evaluate(TABLES_CUT_OFF)]
        problems += [f"{path} at {width}px: {p}" for p in page.evaluate(WIDER_THAN_SCREEN)]
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_TEXT_WIDTH_PX, "height": 1000})
    assert page.evaluate(ROW_DISPLAYS) == ["table-row"]
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def test_on_a_phone_each_row_of_a_published_reports_tables_is_a_card(page, report, scrutiny_member):
    action = Action.objects.filter(theme__plan__slug=CYPE_PLAN).order_by("pk")[1]
    # Entered after publication, reporting on a day in the quarter: a late change.
    ProgressUpdateFactory(
        action=action, reported_on=date(2022, 9, 29), status=Status.COMPLETE, evidence="Done"
    )
    sign_in(page, "councillor")

    assert tables_on_a_phone(page, f"/reports/{report.pk}/") == []
    # Each cell under its column's name, on a line of its own (the names are long).
    page.set_viewport_size({"width": 390, "height": 900})
    evidence = page.locator("#exceptions-theme-1 tbody tr").first.locator("td").last
    assert evidence.evaluate(LABEL) == ['"Evidence"', "static"]
    assert page.get_by_text("Positions changed by later entries").count() == 1
    late = page.locator(".report-table--late tbody td").first
    assert late.evaluate(LABEL) == ['"As published"', "static"]


def test_on_a_phone_each_row_of_a_draft_reports_tables_is_a_card(page, report, administrator):
    sign_in(page, "planadmin")

    assert (
        tables_on_a_phone(page, f"/reports/draft/?plan={CYPE_PLAN}&quarter_ends_on=2022-12-31")
        == []
    )


def printed_sheets(page, tmp_path):
    pdf = tmp_path / "printed.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(sheet.split()) for sheet in text.split("\f") if sheet.strip()]


def test_a_printed_draft_says_draft_on_every_sheet_and_the_list_has_its_header(
    page, report, administrator, tmp_path
):
    sign_in(page, "planadmin")
    page.goto(f"/reports/draft/?plan={CYPE_PLAN}&quarter_ends_on=2022-12-31")
    sheets = printed_sheets(page, tmp_path)

    assert len(sheets) > 1
    plan = Plan.objects.get(slug=CYPE_PLAN).name
    running = (
        f"DRAFT (not published) · {plan} · Quarter 3 2022/23 · position as at 31 December 2022"
    )
    for number, sheet in enumerate(sheets, start=1):
        assert running in sheet, f"sheet {number} of the draft lacks the running header"

    page.emulate_media(media="screen")
    page.goto("/reports/")
    for number, sheet in enumerate(printed_sheets(page, tmp_path), start=1):
        assert "Quarterly reports · Printed " in sheet, f"sheet {number} of the list lacks it"
