"""Everything works with JavaScript switched off: GOV.UK Frontend's scripts only improve
pages that are already plain HTML forms and links."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from actions import roles
from actions.models import Lead, ProgressUpdate
from tests.browser.conftest import (
    IMPROVEMENT_PLAN,
    OFFICER_LEAD,
    fill_as_at,
    make_user,
    sign_in,
    text_of,
)

RED_MESSAGE = "A Red rating needs “What are we worried about and what are we doing about it?”."


@pytest.fixture
def browser_context_options():
    return {"java_script_enabled": False}


def group_headings(page):
    return [text_of(heading) for heading in page.locator("section.exception-group h2 a").all()]


@pytest.mark.browser
def test_everything_works_without_javascript(page, officer):
    sign_in(page, "roisin")
    # No script ran: GOV.UK Frontend's start-up marks the body when it does.
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    # An officer lands on My actions; the dashboard is one link away.
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    page.get_by_role("link", name="Dashboard", exact=True).click()

    # The dashboard's plan and as-at date.
    page.get_by_label("Plan", exact=True).select_option(IMPROVEMENT_PLAN)
    fill_as_at(page, "2021-08-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Continuous Improvement Plan 2021-24"
    )
    expect(page.get_by_text("Position as at 1 August 2021", exact=True)).to_be_visible()

    # The overdue list, by lead and then by theme.
    page.get_by_role("link", name="7 overdue", exact=True).click()
    assert group_headings(page) == [
        "Debby MacCormack (DM)",
        "Kathy Roberts (KR)",
        "Róisín Madden (RM)",
        "SS",
    ]
    page.get_by_role("navigation", name="Group the list").get_by_role(
        "link", name="Theme", exact=True
    ).click()
    assert group_headings(page) == [
        "Improving Efficiency in the Practice System",
        "Review Children's Centres Delivery Model",
        "SEND Strategy - support inclusion and access to local provision",
    ]

    # The register, filtered.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Register").click()
    filters = page.get_by_role("form", name="Filter actions")
    filters.get_by_label("Plan (optional)", exact=True).select_option(IMPROVEMENT_PLAN)
    filters.get_by_label("Overdue (optional)", exact=True).select_option("yes")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="7 actions", exact=True)).to_be_visible()
    assert sorted(
        text_of(row.locator("td").first) for row in page.locator(".register-table tbody tr").all()
    ) == ["5.2", "5.3", "5.4", "6.3", "7.1", "7.2", "7.3"]

    # Record an update: an error first, then put right.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My actions").click()
    page.get_by_role("link", name="Record an update on action 5.4").click()
    page.get_by_label("In progress").check()
    page.get_by_label("Red: will not deliver as planned without intervention").check()
    page.get_by_label("What's working well and how do we know? (optional)").fill(
        "Draft timetable shared with heads of service."
    )
    page.get_by_role("button", name="Record update").click()

    expect(page).to_have_title(re.compile(r"^Error: Record an update"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    summary.get_by_role("link", name=RED_MESSAGE).click()
    assert page.url.endswith("#id_worried_about")
    worried = page.get_by_label("What are we worried about and what are we doing about it?")
    expect(worried).to_have_attribute("id", "id_worried_about")
    expect(page.get_by_label("What's working well and how do we know? (optional)")).to_have_value(
        "Draft timetable shared with heads of service."
    )
    worried.fill("Implementation depends on the restructure, now delayed to March.")
    page.get_by_role("button", name="Record update").click()

    reported = date_format(timezone.localdate(), "j F Y")
    expect(
        page.get_by_text(f"Your update reporting on {reported} has been recorded.")
    ).to_be_visible()
    expect(page.locator("article.progress-update").first).to_contain_text(
        "Implementation depends on the restructure, now delayed to March."
    )
    assert ProgressUpdate.objects.filter(action__reference="5.4", entered_by=officer).count() == 1


@pytest.mark.browser
def test_a_lead_adds_and_removes_a_delegate_and_is_told_beside_the_form(page, officer):
    make_user("helper", roles.OFFICERS, first_name="Hal", last_name="Helper")
    lead = Lead.objects.get(**OFFICER_LEAD)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "roisin")
    page.goto(f"/leads/{lead.pk}/")
    delegates = page.get_by_role("region", name="Delegates")
    add = delegates.get_by_role("button", name="Add delegate")

    # Nothing chosen: the service's own error, on the field, where the page lands.
    add.click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = delegates.locator(".govuk-error-summary")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Choose the officer to add as a delegate.")
    expect(delegates.locator("#id_delegate_error")).to_contain_text(
        "Choose the officer to add as a delegate."
    )
    summary.get_by_role("link").click()
    assert page.url.endswith("#id_delegate")

    delegates.get_by_label("Officer to add as a delegate").select_option(
        label="Hal Helper (helper)"
    )
    add.click()
    added = "Hal Helper can now record progress on Róisín Madden (RM)’s actions."
    expect(delegates.get_by_text(added)).to_be_in_viewport()
    expect(page.locator(".govuk-notification-banner")).to_have_count(1)
    assert list(lead.delegates.values_list("username", flat=True)) == ["helper"]

    delegates.get_by_role("button", name="Remove Hal Helper as a delegate").click()
    expect(delegates.get_by_text("Hal Helper is no longer a delegate.")).to_be_in_viewport()
    expect(delegates).to_contain_text("No delegates.")
    assert not lead.delegates.exists()
