"""A plan administrator brings section 2 of the improvement plan in from its spreadsheet,
meets the date to be confirmed in the preview, confirms, and resolves the date on the
data-quality page; axe-core checks every page on the way, error states included."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions.models import Action, DateConfirmation
from imports.models import PlanImport
from tests.browser.conftest import assert_no_axe_violations, screenshot, sign_in, text_of
from tests.browser.test_phone_and_paper import tables_cut_off_on_a_phone

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SPREADSHEET = FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.xlsx"
FOCUSED_VISIT = "Ofsted Focused Visit- Early Help and the Front Door (June 2021)"


def test_administrator_imports_section_2_and_resolves_the_date_to_confirm(
    page, administrator, tmp_path
):
    sign_in(page, "planadmin")
    page.goto("/")
    page.get_by_role("link", name="import a plan from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a plan")
    assert_no_axe_violations(page, "upload")
    screenshot(page, "import upload")

    # A file that isn't a workbook: every problem named, nothing written.
    fake = tmp_path / "plan.xlsx"
    fake.write_text("not a workbook")
    page.get_by_label("Children's Continuous Improvement Plan 2021-24").check()
    page.get_by_label("Spreadsheet").set_input_files(str(fake))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The file is called .xlsx but is not an Excel workbook"
    )
    assert_no_axe_violations(page, "upload with errors")
    screenshot(page, "import upload error")
    assert not PlanImport.objects.exists()

    page.get_by_label("Children's Continuous Improvement Plan 2021-24").check()
    page.get_by_label("Spreadsheet").set_input_files(str(SPREADSHEET))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    dates = page.get_by_role("table", name="Dates the file gives that don’t exist or can’t be read")
    expect(dates).to_contain_text("31/09/21")
    expect(dates).to_contain_text("is not a real date: September 2021 has 30 days.")
    expect(page.locator("main")).to_contain_text("24 added, 0 changed, 0 closed")
    assert_no_axe_violations(page, "preview")
    screenshot(page, "import preview")
    assert not Action.objects.filter(theme__name=FOCUSED_VISIT).exists()

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Tick to bring the actions in with their dates to be confirmed"
    )
    assert_no_axe_violations(page, "preview with errors")
    screenshot(page, "import preview error")
    assert not Action.objects.filter(theme__name=FOCUSED_VISIT).exists()

    page.get_by_label("Bring these actions in with their dates to be confirmed").check()
    page.get_by_label("Add these people as new leads").check()
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported")
    assert Action.objects.filter(theme__name=FOCUSED_VISIT).count() == 3

    page.goto("/data-quality/")
    section = page.locator("section", has=page.locator("#to-confirm"))
    expect(section).to_contain_text("The quality, frequency and effectiveness of supervision")
    expect(section).to_contain_text("Timeframe “31/09/21” is not a real date")
    assert_no_axe_violations(page, "data quality")
    assert not tables_cut_off_on_a_phone(page)
    screenshot(page, "data quality")

    section.get_by_role("link", name="Confirm the date of action 5.3").click()
    page.get_by_role("button", name="Confirm the date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the confirmed due date, for example 30 9 2021"
    )
    assert_no_axe_violations(page, "confirm date with errors")
    screenshot(page, "confirm date error")

    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2021")
    page.get_by_label("Who confirmed it, and why").fill(
        "Confirmed with the Director: the plan meant the end of September 2021."
    )
    page.get_by_role("button", name="Confirm the date").click()
    expect(page.locator("#to-confirm")).to_contain_text("0 actions")
    assert text_of(page.locator(".govuk-notification-banner")).startswith("Success")

    confirmation = DateConfirmation.objects.get()
    assert confirmation.confirmed_on == date(2021, 9, 30)
    action = Action.objects.get(theme__name=FOCUSED_VISIT, reference="5.3")
    assert action.timeframe.label == "31/09/21"
    assert Action.objects.overdue(date(2021, 10, 1)).filter(pk=action.pk).exists()


def test_officer_uploads_updates_meets_the_problems_then_records(page, officer, tmp_path):
    from openpyxl import load_workbook

    from actions.models import ProgressUpdate
    from imports.updates import COLUMNS

    sign_in(page, "roisin")
    page.goto("/my-actions/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my actions to update").click()
    downloaded = tmp_path / "downloaded.xlsx"
    download.value.save_as(downloaded)
    book = load_workbook(downloaded)
    sheet = book.worksheets[0]
    headers = [column.header for column in COLUMNS]
    row = next(
        number
        for number in range(2, sheet.max_row + 1)
        if sheet.cell(row=number, column=headers.index("Reference") + 1).value == "5.3"
    )
    sheet.cell(row=row, column=headers.index("Status") + 1).value = "In progress"
    sheet.cell(row=row, column=headers.index("RAG") + 1).value = "Amber"
    path = tmp_path / "mine.xlsx"
    book.save(path)
    before = ProgressUpdate.objects.count()

    page.get_by_role("link", name="upload it").click()
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"Row {row} (action 5.3 “Consult and comms with service managers”), What are we "
        "worried about and what are we doing about it?: empty"
    )
    assert_no_axe_violations(page, "updates upload with errors")
    screenshot(page, "updates upload error")

    sheet.cell(
        row=row,
        column=headers.index("What are we worried about and what are we doing about it?") + 1,
    ).value = "Two posts vacant."
    book.save(path)
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your updates")
    assert_no_axe_violations(page, "updates check")
    assert not tables_cut_off_on_a_phone(page)
    page.get_by_role("button", name="Record these updates").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recorded 1 update")
    assert ProgressUpdate.objects.count() == before + 1
