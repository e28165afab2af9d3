"""An officer records progress on an overdue action they lead, with the keyboard alone
once signed in: no mouse, no clicks."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from actions.models import Action, ProgressUpdate, Status
from tests.browser.conftest import (
    IMPROVEMENT_PLAN,
    assert_no_axe_violations,
    focused,
    sign_in,
    tab_to,
    tab_to_id,
    tab_to_text,
    text_of,
)

THEME = "Improving Efficiency in the Practice System"
WORKING_WELL = "Service managers briefed at the October practice forum; notes circulated."
WORRIED_ABOUT = "Two service manager posts are vacant, so consultation has slipped to January."
RED_MESSAGE = "A Red rating needs “What are we worried about and what are we doing about it?”."


def dashboard_numbers(page):
    """The count cards ({label: number}) and the Red column of the RAG by theme table."""
    counts = {
        text_of(card.locator(".count-card__label")): int(
            text_of(card.locator(".count-card__number"))
        )
        for card in page.locator(".count-card").all()
    }
    red = {}
    for row in (
        page.get_by_role("table", name="Actions by theme and latest RAG").locator("tbody tr").all()
    ):
        red[text_of(row.locator("th"))] = int(text_of(row.locator("td").first))
    return counts, red


@pytest.mark.browser
def test_officer_records_an_update_with_the_keyboard_alone(page, officer):
    today = timezone.localdate()
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="5.3")
    plan_actions = Action.objects.filter(theme__plan__slug=IMPROVEMENT_PLAN)
    before = plan_actions.counts(today)
    red_before = {row["theme__name"]: row["red"] for row in plan_actions.rag_by_theme(today)}
    # 5.3 was due in July 2021, is not started and has not been updated since: overdue
    # and stale, and so at risk, with no RAG rating.
    state = Action.objects.with_state(today).get(pk=action.pk)
    assert (state.is_overdue, state.is_stale, state.latest_rag) == (True, True, "")

    sign_in(page, "roisin")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")

    # My actions, through the service navigation.
    tab_to_text(page, "My actions", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    row = page.locator("tbody tr").filter(has_text="5.3 Consult and comms with service managers")
    expect(row).to_contain_text("You lead it")
    expect(row).to_contain_text("Overdue")

    # Record an update on it.
    tab_to_text(page, "Record an update on action 5.3", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an update")
    assert page.url.endswith(f"/actions/{action.pk}/update/")

    # The form opens on today's date and the last status (Not started, no rating).
    # Status: arrow down from Not started to In progress.
    tab_to_id(page, "id_status_0")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_status_1")).to_be_checked()
    expect(page.locator("#id_status_1")).to_be_focused()
    # RAG: Tab moves to the group's chosen radio (No rating); arrow up to Green, Amber
    # and Red, then Space keeps Red.
    page.keyboard.press("Tab")
    expect(page.locator("#id_rag_3")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    expect(page.locator("#id_rag_0")).to_be_checked()
    # What's working well; nothing yet about what worries us.
    tab_to_id(page, "id_working_well")
    page.keyboard.type(WORKING_WELL)
    tab_to_text(page, "Record update", tag="button")
    page.keyboard.press("Enter")

    # The error summary, focused by GOV.UK Frontend, links to the field.
    expect(page).to_have_title("Error: Record an update – CYPE plan tracker")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text([RED_MESSAGE])
    expect(page.locator("#id_working_well")).to_have_value(WORKING_WELL)
    assert not ProgressUpdate.objects.filter(action=action, entered_by=officer).exists()
    assert_no_axe_violations(page, "Record an update, with an error")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == RED_MESSAGE
    page.keyboard.press("Enter")
    expect(page.locator("#id_worried_about")).to_be_focused()
    expect(page.locator("#id_worried_about")).to_have_attribute(
        "aria-describedby", "id_worried_about_helptext id_worried_about_error"
    )

    # Say what worries us, and record it.
    page.keyboard.type(WORRIED_ABOUT)
    tab_to_text(page, "Record update", tag="button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consult and comms with service managers"
    )
    reported = date_format(today, "j F Y")
    expect(page.get_by_role("alert")).to_contain_text(
        f"Your update reporting on {reported} has been recorded."
    )
    history = page.locator("article.progress-update").first
    expect(history.get_by_role("heading")).to_have_text(f"{reported}: In progress Red")
    expect(history).to_contain_text(WORKING_WELL)
    expect(history).to_contain_text(WORRIED_ABOUT)
    expect(history).to_contain_text("Entered by Róisín Madden")
    update = ProgressUpdate.objects.get(action=action, entered_by=officer)
    assert (update.status, update.rag, update.reported_on) == (Status.IN_PROGRESS, "red", today)

    # The plan's dashboard (the breadcrumb) counts it: Red in its theme, no longer stale.
    tab_to(
        page,
        lambda element: (
            element["tag"] == "a"
            and element["text"] == "Children's Continuous Improvement Plan 2021-24"
        ),
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Continuous Improvement Plan 2021-24"
    )
    counts, red = dashboard_numbers(page)
    assert red[THEME] == red_before[THEME] + 1
    assert {theme: n for theme, n in red.items() if theme != THEME} == {
        theme: n for theme, n in red_before.items() if theme != THEME
    }
    stale = int(text_of(page.locator(".count-across__number")))
    assert stale == before["stale"] - 1
    assert counts["overdue"] == before["overdue"]
    assert counts["at risk (not overdue)"] == before["at_risk_not_overdue"]
