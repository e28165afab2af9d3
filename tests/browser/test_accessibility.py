"""Every page, checked in the browser: axe-core finds no WCAG 2.2 A or AA failure, the page
has one h1, a title and lang="en-GB", and its skip link takes the keyboard to the main
content. With CYPEPLAN_SCREENSHOTS set, a full-page PNG of each is saved there."""

from datetime import date
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from actions.models import RAG, Action, Lead, ProgressUpdate, Status
from tests.browser.conftest import (
    IMPROVEMENT_PLAN,
    PASSWORD,
    assert_no_axe_violations,
    focused,
    screenshot,
    sign_in,
)
from themes.models import Theme

THEME_NAME = "Review Children's Centres Delivery Model"
AS_AT = {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}


def query(**params):
    return "?" + urlencode(params)


def action_pk(reference):
    return Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference=reference).pk


def late_entry(then):
    """An update reporting on 30 July 2021, entered today: it changed the position as at
    1 August 2021 after that day. Returns the path `then`."""

    def path():
        ProgressUpdate.objects.create(
            action_id=action_pk("1.2"),
            reported_on=date(2021, 7, 30),
            status=Status.IN_PROGRESS,
            rag=RAG.AMBER,
            worried_about="Entered late, reporting on July.",
        )
        return then

    return path


def later_changes(then):
    """Action 5.3 given a date to be confirmed (“31/09/21”, as section 2 of the plan has
    it) and the date confirmed, 1.2 given other words, and an update of July 2021
    corrected, all today: each changed the position as at 1 August 2021 after that day.
    Returns the path `then`."""

    def path():
        from django.contrib.auth import get_user_model

        from actions.models import DateConfirmation, Timeframe
        from cypeplan.history import record_starting_history

        record_starting_history("Loaded")  # as load_plans does
        admin = get_user_model().objects.create_user("late-admin", password=PASSWORD)
        to_confirm = Timeframe(label="31/09/21", to_be_confirmed=True)
        to_confirm.save()
        for reference, timeframe in (
            ("5.3", to_confirm),
            ("1.2", Timeframe.objects.get_or_create(label="July 2021")[0]),
        ):
            action = Action.objects.get(pk=action_pk(reference))
            action.timeframe = timeframe
            action.save()
        corrected = ProgressUpdate.objects.filter(
            action__theme__plan__slug=IMPROVEMENT_PLAN, reported_on__lte=date(2021, 8, 1)
        ).first()
        corrected.status, corrected.rag = Status.IN_PROGRESS, RAG.RED
        corrected.save()
        DateConfirmation.objects.create(
            action_id=action_pk("5.3"),
            confirmed_on=date(2021, 9, 30),
            reason="Confirmed with the Head of Service.",
            entered_by=admin,
        )
        return then

    return path


# --- How to reach each page: (who, how), where how(page) opens it --------------------


def visit(path, shows, status=200):
    """Open a path (a callable, when it needs the database), check the status and that
    the page says `shows` (so a page that went wrong is not checked by mistake)."""

    def open_page(page):
        response = page.goto(path() if callable(path) else path)
        assert response.status == status, f"{page.url} answered {response.status}"
        expect(page.get_by_text(shows, exact=True).first).to_be_visible()

    return open_page


def sign_in_with_a_wrong_password(page):
    page.goto("/sign-in/")
    page.get_by_label("Username", exact=True).fill("councillor")
    page.get_by_label("Password", exact=True).fill(PASSWORD + "-wrong")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def record_update_with_errors(page):
    visit(lambda: f"/actions/{action_pk('5.3')}/update/", "Record an update")(page)
    page.get_by_label("Red: will not deliver as planned without intervention").check()
    reported_on = page.get_by_role("group", name="Date it reports on")
    reported_on.get_by_label("Day", exact=True).fill("31")
    reported_on.get_by_label("Month", exact=True).fill("9")
    page.get_by_role("button", name="Record update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(2)


def record_update_refused_as_a_repeat(page):
    """Recorded, then Back and Record update: refused, with "Record it again anyway"."""
    for _ in range(2):
        visit(lambda: f"/actions/{action_pk('5.3')}/update/", "Record an update")(page)
        page.get_by_label("In progress", exact=True).check()
        page.get_by_label("Amber: at risk but recoverable").check()
        page.locator("#id_working_well").fill("The review group met on 3 May.")
        page.locator("#id_worried_about").fill("Two schools have not replied.")
        page.get_by_role("button", name="Record update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("You already recorded")
    expect(page.get_by_label("Record it again anyway")).to_be_visible()


PAGES = {
    "sign-in": (None, visit("/sign-in/", "Sign in")),
    "sign-in with an error": (None, sign_in_with_a_wrong_password),
    "dashboard": ("scrutiny_member", visit("/" + query(**AS_AT), "RAG by theme")),
    "dashboard with a bad date in the link": (
        "scrutiny_member",
        visit(
            "/" + query(plan=IMPROVEMENT_PLAN, as_at="2021-09-31"),
            "There is a problem with the date or plan",
        ),
    ),
    "overdue by lead": ("scrutiny_member", visit("/overdue/" + query(**AS_AT), "7 actions.")),
    "overdue by theme": (
        "scrutiny_member",
        visit("/overdue/" + query(**AS_AT, by="theme"), "7 actions."),
    ),
    "at risk": ("scrutiny_member", visit("/at-risk/" + query(**AS_AT), "2 actions.")),
    "register": ("scrutiny_member", visit("/actions/", "55 actions")),
    "register filtered": (
        "scrutiny_member",
        visit("/actions/" + query(**AS_AT, overdue="yes", status="not_started"), "2 actions"),
    ),
    "register with no results": (
        "scrutiny_member",
        visit(
            "/actions/" + query(q="no action has these words in it"),
            "No actions match these filters.",
        ),
    ),
    "register with an invalid filter": (
        "scrutiny_member",
        visit("/actions/" + query(overdue="perhaps"), "There is a problem"),
    ),
    "action with steps and history": (
        "scrutiny_member",
        visit(lambda: f"/actions/{action_pk('1.2')}/", "Steps"),
    ),
    "lead": (
        "scrutiny_member",
        visit(
            lambda: f"/leads/{Lead.objects.get(initials='RM').pk}/?as_at=2021-08-01",
            "Róisín Madden (RM)",
        ),
    ),
    "theme": (
        "scrutiny_member",
        visit(
            lambda: f"/themes/{Theme.objects.get(name=THEME_NAME).pk}/?as_at=2021-08-01",
            "Actions in plan order",
        ),
    ),
    "dashboard with updates entered later": (
        "scrutiny_member",
        visit(late_entry("/" + query(**AS_AT)), "See the 1 update entered later"),
    ),
    "updates entered later": (
        "scrutiny_member",
        visit(
            late_entry("/late-entries/" + query(**AS_AT)),
            "1 update entered later, most recently entered first",
        ),
    ),
    "due dates confirmed and timeframes changed later": (
        "scrutiny_member",
        visit(
            later_changes("/late-entries/" + query(**AS_AT)),
            "2 timeframes changed later, most recently changed first",
        ),
    ),
    "my actions": ("officer", visit("/my-actions/", "7 actions")),
    "record an update": (
        "officer",
        visit(lambda: f"/actions/{action_pk('5.3')}/update/", "Previous update"),
    ),
    "record an update with errors": ("officer", record_update_with_errors),
    "record an update refused as a repeat": ("officer", record_update_refused_as_a_repeat),
    "403 permission denied": (
        "scrutiny_member",
        visit(
            lambda: f"/actions/{action_pk('5.3')}/update/",
            "You do not have permission to do that",
            status=403,
        ),
    ),
    "404 page not found": (
        "scrutiny_member",
        visit("/actions/999999/", "Page not found", status=404),
    ),
}
USERNAMES = {"scrutiny_member": "councillor", "officer": "roisin"}


def move_focus_to_the_top(page):
    """Put the keyboard back at the start of the page, as it is when a page has just
    loaded. Only needed where the page moved focus itself: GOV.UK Frontend's error
    summary takes it on load, and the sign-in form's username box has Django's
    autofocus."""
    if focused(page) is None:
        return
    page.evaluate(
        """() => {
            const root = document.documentElement;
            root.setAttribute("tabindex", "-1");
            root.focus({preventScroll: true});
            root.removeAttribute("tabindex");
            window.scrollTo(0, 0);
        }"""
    )


def check_skip_link(page):
    move_focus_to_the_top(page)
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip and skip["text"] == "Skip to main content", f"first Tab went to {skip}"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    now = focused(page)
    assert now and now["id"] == "main-content", f"Enter on the skip link focused {now}"


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(request, page, real_plans, name):
    who, open_page = PAGES[name]
    # Both people exist whoever signs in (the officer leads 5.3, which the 403 opens).
    request.getfixturevalue("officer")
    request.getfixturevalue("scrutiny_member")
    if who:
        sign_in(page, USERNAMES[who])

    open_page(page)

    screenshot(page, name)
    assert page.locator("html").get_attribute("lang") == "en-GB"
    title = page.title()
    assert title.strip() and title.endswith(" – CYPE plan tracker"), f"title: {title!r}"
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_be_visible()
    assert_no_axe_violations(page, name)
    check_skip_link(page)


@pytest.mark.browser
def test_axe_check_reports_what_fails_and_where(page, scrutiny_member):
    """The check itself: on a page given two faults, the message names each rule, its
    impact and help, and the elements that fail."""
    sign_in(page, "councillor")
    page.evaluate(
        """() => {
            const main = document.getElementById("main-content");
            main.insertAdjacentHTML("beforeend",
                '<img id="no-alt" src="/static/images/favicon.svg">' +
                '<input id="no-label" type="text">');
        }"""
    )

    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page, "dashboard with faults")

    message = str(failure.value)
    assert "axe found 2 violation(s) on dashboard with faults" in message
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "    #no-alt: Fix any of the following:" in message
    assert "- label (critical): Form elements must have labels" in message
    assert "    #no-label: Fix any of the following:" in message
