"""A committee's action list in the browser: a scrutiny officer records a meeting and two
items about plan actions; the officer who owes one answers it from My actions; the
committee accepts it; the other stays on the next meeting's action list. axe-core checks
every page and form, error states included."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from actions import roles
from actions.models import Action, Lead
from scrutiny.models import Item, State
from tests.browser.conftest import (
    IMPROVEMENT_PLAN,
    assert_no_axe_violations,
    make_user,
    sign_in,
    text_of,
)
from tests.browser.test_phone_and_paper import tables_cut_off_on_a_phone

FIRST = "Monthly performance data that was presented to the Improvement Board"
LONDON = ZoneInfo("Europe/London")
SECOND = "Officers agreed to circulate the table of all 32 London boroughs."


@pytest.fixture
def clerk(real_plans):
    return make_user(
        "clerk", roles.SCRUTINY_OFFICERS, is_staff=True, first_name="Dee", last_name="Services"
    )


def checked(page, name):
    assert_no_axe_violations(page, name)


def fill_date(page, name, day):
    for part, value in enumerate([day.day, day.month, day.year]):
        page.locator(f"#id_{name}_{part}").fill(str(value))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/**")


def record_meeting(page, day, minutes):
    page.goto("/scrutiny/")
    page.get_by_role("link", name="Record a meeting").click()
    fill_date(page, "held_on", day)
    page.get_by_label("Minute numbers").fill(minutes)
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Meeting of {date_format(day, 'j F Y')}"
    )


def action_box_label(action):
    return f"{action.reference} {' '.join(action.description.split())}"[:40]


@pytest.mark.browser
def test_a_meetings_items_are_answered_accepted_and_carried_to_the_next_meeting(
    page, clerk, officer
):
    today = timezone.localdate()
    met = today - timedelta(days=30)
    five_three = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="5.3")
    five_four = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="5.4")

    # The scrutiny officer records the meeting: first with nothing filled in.
    sign_in(page, "clerk")
    page.get_by_role("link", name="Scrutiny", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrutiny action list")
    checked(page, "scrutiny action list")
    page.get_by_role("link", name="Record a meeting").click()
    checked(page, "record a meeting")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title("Error: Record a meeting – CYPE plan tracker")
    checked(page, "record a meeting, with errors")
    fill_date(page, "held_on", met)
    page.get_by_label("Minute numbers").fill("20/19 to 27/19")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Meeting of {date_format(met, 'j F Y')}"
    )

    # Two items, each about a plan action; the first owed by Róisín Madden.
    page.get_by_role("link", name="Add an item raised at this meeting").click()
    checked(page, "add an item")
    page.get_by_role("button", name="Record the item", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    checked(page, "add an item, with errors")
    page.get_by_label("Information request: something members asked to be sent").check()
    page.get_by_label("Words as minuted").fill(FIRST)
    page.get_by_label("Minute it comes from").fill("22/19")
    roisin = Lead.objects.get(user=officer)
    page.get_by_label("Officer who must answer").select_option(value=str(roisin.pk))
    fill_date(page, "due_on", today + timedelta(days=7))
    page.get_by_label(action_box_label(five_three)).check()
    page.get_by_role("button", name="Record it and add another").click()
    expect(page.get_by_text("has been recorded")).to_be_visible()
    page.get_by_label("Action: something officers agreed to do").check()
    page.get_by_label("Words as minuted").fill(SECOND)
    page.get_by_label("Minute it comes from").fill("23/19")
    page.get_by_label("Who must answer, as the minutes name them").fill("Head of Finance")
    fill_date(page, "due_on", today + timedelta(days=20))
    page.get_by_label(action_box_label(five_four)).check()
    page.get_by_role("button", name="Record the item", exact=True).click()
    raised = page.get_by_role("table", name="2 items, as minuted")
    expect(raised).to_contain_text(FIRST)
    expect(raised).to_contain_text(SECOND)
    checked(page, "meeting page")
    assert not tables_cut_off_on_a_phone(page)
    first, second = Item.objects.order_by("pk")
    assert list(first.actions.all()) == [five_three]
    assert list(second.actions.all()) == [five_four]
    sign_out(page)

    # The officer who owes the first answers it from My actions.
    sign_in(page, "roisin")
    page.get_by_role("link", name="My actions", exact=True).click()
    panel = page.get_by_role("region", name="Answers you owe the scrutiny committee")
    expect(panel).to_contain_text(FIRST)
    expect(panel).not_to_contain_text(SECOND)
    checked(page, "my actions with answers owed")
    panel.get_by_role("link", name="Answer").first.click()
    checked(page, "answer an item")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    checked(page, "answer an item, with errors")
    page.get_by_label("Your answer").fill("The data for each month is on the intranet.")
    page.get_by_label("Links").fill("https://intranet.example.org/improvement-board")
    page.get_by_label("Yes: it goes to the committee to accept").check()
    page.get_by_role("button", name="Record the answer").click()
    expect(page.get_by_text("the item now waits for the committee")).to_be_visible()
    checked(page, "item page after answering")
    sign_out(page)

    # The committee accepts it at today's meeting.
    sign_in(page, "clerk")
    record_meeting(page, today, "28/19 to 35/19")
    page.goto(f"/scrutiny/items/{first.pk}/")
    page.get_by_role("link", name="Record the committee’s decision").click()
    checked(page, "record a decision")
    page.get_by_label("Accepted: the committee accepts the answer").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text("Choose the meeting at which the committee decided.").first
    ).to_be_visible()
    checked(page, "record a decision, with errors")
    page.get_by_label("Accepted: the committee accepts the answer").check()
    page.get_by_label("Meeting at which it was decided").select_option(index=1)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The item is accepted by the committee")).to_be_visible()
    assert Item.objects.with_state(today).get(pk=first.pk).state == State.ACCEPTED

    # Four weeks on (a meeting is recorded once held), the next meeting's action list carries
    # the second item only. A new session: the last ended after a working day idle.
    next_meeting = today + timedelta(days=28)
    with time_machine.travel(datetime.combine(next_meeting, time(10), LONDON)):
        sign_in(page, "clerk")
        record_meeting(page, next_meeting, "")
        listed = page.get_by_role("table", name="Outstanding items from previous meetings")
        expect(listed).to_contain_text(SECOND)
        expect(listed).not_to_contain_text(FIRST)
        assert text_of(listed.locator("tbody tr td").nth(4)).startswith("Open")
        checked(page, "next meeting's action list")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the action list as a Word document").click()
        assert download.value.suggested_filename == f"action-list-{next_meeting.isoformat()}.docx"

        # The plan action's page lists what members asked about it.
        page.goto(f"/actions/{five_four.pk}/")
        expect(
            page.get_by_role("region", name="What scrutiny members have asked about it")
        ).to_contain_text(SECOND)
        checked(page, "action page with members' items")
