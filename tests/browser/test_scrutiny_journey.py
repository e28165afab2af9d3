"""A scrutiny member prepares for a committee: the exceptions as at a report date, the
register filtered to them, and the download they take to the meeting."""

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.actions.test_downloads import COLUMNS
from tests.browser.conftest import IMPROVEMENT_PLAN, fill_as_at, sign_in, text_of

# As at 1 August 2021 (tests/actions/test_views.py works these out from the seeds).
OVERDUE_BY_LEAD = {
    "Debby MacCormack (DM)": ["6.3"],
    "Kathy Roberts (KR)": ["7.1", "7.2", "7.3"],
    "Róisín Madden (RM)": ["5.3", "5.4"],
    "SS": ["5.2"],
}
OVERDUE_BY_THEME = {
    "Improving Efficiency in the Practice System": ["5.2", "5.3", "5.4"],
    "Review Children's Centres Delivery Model": ["6.3"],
    "SEND Strategy - support inclusion and access to local provision": ["7.1", "7.2", "7.3"],
}
OVERDUE = sorted(ref for refs in OVERDUE_BY_LEAD.values() for ref in refs)
CSV_HEADER = COLUMNS


def groups_on(page):
    """{group heading: [references in its table]} on an overdue or at-risk list."""
    groups = {}
    for section in page.locator("section.exception-group").all():
        name = text_of(section.locator("h2 a"))
        groups[name] = [
            text_of(row.locator("td").first) for row in section.locator("tbody tr").all()
        ]
    return groups


def register_references(page):
    return [
        text_of(row.locator("td").first) for row in page.locator(".register-table tbody tr").all()
    ]


def assert_reader_only(page):
    """Nothing on the page offers to change anything: no update button, no admin."""
    expect(page.get_by_text("Record an update")).to_have_count(0)
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(0)


@pytest.mark.browser
def test_scrutiny_member_finds_the_exceptions_as_at_a_date_and_downloads_them(
    page, scrutiny_member
):
    sign_in(page, "councillor")

    # The dashboard, for the improvement plan as at 1 August 2021, chosen with its form.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    assert_reader_only(page)
    page.get_by_label("Plan", exact=True).select_option(IMPROVEMENT_PLAN)
    fill_as_at(page, "2021-08-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Continuous Improvement Plan 2021-24"
    )
    expect(page.get_by_text("Position as at 1 August 2021", exact=True)).to_be_visible()
    overdue_link = page.get_by_role("link", name="7 overdue", exact=True)
    expect(overdue_link).to_be_visible()
    expect(page.get_by_role("link", name="2 at risk (not overdue)", exact=True)).to_be_visible()
    assert_reader_only(page)

    # The count opens the list behind it, grouped by lead.
    overdue_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue actions")
    expect(page.get_by_text("7 actions.", exact=True)).to_be_visible()
    assert groups_on(page) == OVERDUE_BY_LEAD
    assert_reader_only(page)

    # By theme.
    grouping = page.get_by_role("navigation", name="Group the list")
    grouping.get_by_role("link", name="Theme", exact=True).click()
    expect(grouping.get_by_role("link", name="Theme", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert groups_on(page) == OVERDUE_BY_THEME

    # The day before: nothing due in July is overdue yet. The grouping stays by theme.
    fill_as_at(page, "2021-07-31")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("Position as at 31 July 2021.", exact=True)).to_be_visible()
    expect(page.get_by_text("2 actions.", exact=True)).to_be_visible()
    assert groups_on(page) == {
        "Improving Efficiency in the Practice System": ["5.2"],
        "Review Children's Centres Delivery Model": ["6.3"],
    }
    assert "by=theme" in page.url

    # The register, back at 1 August, filtered to the improvement plan's overdue actions.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action register")
    fill_as_at(page, "2021-08-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("Position as at 1 August 2021", exact=True)).to_be_visible()
    filters = page.get_by_role("form", name="Filter actions")
    filters.get_by_label("Plan (optional)", exact=True).select_option(IMPROVEMENT_PLAN)
    filters.get_by_label("Overdue (optional)", exact=True).select_option("yes")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="7 actions", exact=True)).to_be_visible()
    assert sorted(register_references(page)) == OVERDUE
    for row in page.locator(".register-table tbody tr").all():
        assert "Overdue" in text_of(row), text_of(row)
    assert_reader_only(page)

    # The CSV holds exactly those rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV file of the filtered actions").click()
    download = download_info.value
    assert download.suggested_filename == (
        "childrens-continuous-improvement-plan-2021-24-register-as-at-2021-08-01.csv"
    )
    with Path(download.path()).open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    # The context first (plan, list, date, filters, when made), then a blank line.
    assert rows[0] == ["Plan", "Children's Continuous Improvement Plan 2021-24"]
    assert ["Position as at", "1 August 2021"] in rows
    header_at = rows.index([]) + 1
    assert rows[header_at] == CSV_HEADER
    body = rows[header_at + 1 :]
    assert sorted(row[0] for row in body) == OVERDUE
    assert {row[2] for row in body} == {"Children's Continuous Improvement Plan 2021-24"}
    assert {row[CSV_HEADER.index("Overdue")] for row in body} == {"Yes"}

    # An action from the list: its evidence and history to read, nothing to change.
    page.get_by_role("link", name="Consult and comms with service managers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consult and comms with service managers"
    )
    expect(page.get_by_role("heading", name="Progress history")).to_be_visible()
    assert_reader_only(page)


@pytest.mark.browser
def test_the_controls_a_scrutiny_member_lacks_are_there_for_a_plan_administrator(
    page, administrator
):
    """The other side of assert_reader_only: the same checks do find the controls."""
    sign_in(page, "planadmin")
    expect(page.get_by_role("link", name="Admin", exact=True)).to_have_count(1)
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="5.3")
    page.goto(f"/actions/{action.pk}/")
    expect(page.get_by_text("Record an update")).to_have_count(1)
