"""The register's two buttons each send both the date and the filters: a date typed and
then "Apply filters" is kept, and filters chosen and then "Show" are kept. Without
JavaScript too: the date boxes belong to the filter form by HTML's form attribute."""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import IMPROVEMENT_PLAN, fill_as_at, sign_in


@pytest.fixture
def browser_context_options():
    return {"java_script_enabled": False}


@pytest.mark.browser
@pytest.mark.parametrize("button", ["Apply filters", "Show"])
def test_a_typed_date_and_chosen_filters_are_both_kept(page, scrutiny_member, button):
    sign_in(page, "councillor")
    page.goto(f"/actions/?plan={IMPROVEMENT_PLAN}")
    fill_as_at(page, "2021-08-01")
    page.get_by_label("Overdue (optional)", exact=True).select_option(label="Yes")

    page.get_by_role("button", name=button, exact=True).click()

    query = parse_qs(urlparse(page.url).query)
    assert query["overdue"] == ["yes"]
    assert (query["as_at_day"], query["as_at_month"], query["as_at_year"]) == (
        ["1"],
        ["8"],
        ["2021"],
    )
    expect(page.locator(".govuk-caption-l").first).to_have_text("Position as at 1 August 2021")
    expect(page.get_by_label("Overdue (optional)", exact=True)).to_have_value("yes")
