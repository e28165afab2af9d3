"""What people write may hold a long web address: a SharePoint link is 150 to 250
characters with no space in it. It breaks across lines wherever it is shown, so no page
grows wider than a phone's screen or the sheet it is printed on, and no table grows wider
than the page at 1280 pixels."""

from datetime import date

import pytest
from django.utils import timezone

from actions.models import Action
from actions.services import progress_update_record
from scrutiny.models import Kind, Meeting
from scrutiny.services import item_raise, response_record
from tests.browser.conftest import IMPROVEMENT_PLAN, OFFICER_LEAD
from tests.browser.test_accessibility import visit
from tests.browser.test_phone_and_paper import assert_none_found, check, signed_in

# Test data, not the council's: a link shaped like the ones officers paste.
LINK = (
    "https://croydoncouncil.sharepoint.com/sites/CYPE/Shared%20Documents/Forms/AllItems.aspx"
    "?id=%2Fsites%2FCYPE%2FShared%20Documents%2FScrutiny%2F2024%2FPlacements%20review.pdf"
)
WORDS = f"Members asked for the review at {LINK} to be summarised."

TABLES_WIDER_THAN_THEIR_PLACE = """() => [...document.querySelectorAll("table")]
    .filter((table) => table.getBoundingClientRect().width
        > table.parentElement.clientWidth + 1)
    .map((table) => `${table.id || table.className} is `
        + `${Math.round(table.getBoundingClientRect().width)}px in `
        + `${table.parentElement.clientWidth}px`)"""


@pytest.fixture
def written(officer):
    # Action 5.3, the officer's: not started, due July 2021.
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="5.3")
    assert action.lead.name == OFFICER_LEAD["name"]
    meeting = Meeting.objects.create(held_on=date(2022, 3, 1), minute_numbers="1/22 to 9/22")
    item = item_raise(
        meeting=meeting,
        kind=Kind.INFORMATION_REQUEST,
        words=WORDS,
        entered_by=None,
        minute="4/22",
        answerer=action.lead,
        due_on=date(2022, 4, 1),
        actions=[action],
    )
    response_record(
        item=item,
        text=f"The summary is at {LINK}",
        entered_by=officer,
        considers_answered=False,
        evidence=LINK,
        evidence_links=LINK,
        responded_on=date(2022, 3, 15),
    )
    progress_update_record(
        action=action,
        reported_on=date(2022, 3, 20),
        status="in_progress",
        rag="amber",
        rag_change_reason=f"See {LINK}",
        worried_about=f"The review at {LINK} is late.",
        revised_due_on=date(2024, 3, 31),
        revised_due_reason=f"The review ({LINK}) moved it.",
        entered_by=officer,
    )
    return action, meeting, item


@pytest.mark.browser
def test_a_long_web_address_breaks_across_lines_on_every_page_that_shows_it(
    browser, live_server, scrutiny_member, written
):
    action, meeting, item = written
    as_at = f"?as_at={timezone.localdate().isoformat()}"
    pages = {
        "scrutiny_member": {
            "the item": visit(f"/scrutiny/items/{item.pk}/", "Position as at"),
            "the action": visit(f"/actions/{action.pk}/{as_at}", "Due date revisions"),
            "the committee's action list": visit(f"/scrutiny/{as_at}", "Scrutiny"),
            "the meeting": visit(f"/scrutiny/meetings/{meeting.pk}/", "Scrutiny"),
        },
        "officer": {"my actions": visit(f"/my-actions/{as_at}", "My actions")},
    }
    problems = {}
    for who, named in pages.items():
        with signed_in(browser, live_server, who) as page:
            for name, open_page in named.items():
                found = check(page, open_page)
                page.set_viewport_size({"width": 1280, "height": 900})
                found += [f"1280px: {p}" for p in page.evaluate(TABLES_WIDER_THAN_THEIR_PLACE)]
                assert LINK[:60] in page.locator("main").inner_text().replace("\n", ""), name
                if found:
                    problems[name] = found

    assert_none_found(problems)
