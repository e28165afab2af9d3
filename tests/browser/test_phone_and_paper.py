"""Every page on a phone and on paper, in Chromium: at 320, 390, 768 and 1280 pixels no page
is wider than the screen and no form control lies over another, and on a phone no table
runs past the screen's edge (each row is a card); printed on A4 no table is
wider than the sheet and no form is printed; the printed overdue list keeps every column
and every row's RAG, with the plan, the as-at date and the print date on each sheet.

One sign-in per person and one load per page; the widths are tried by resizing the loaded
page, so the whole matrix takes about a minute."""

import subprocess
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from actions.models import Action
from tests.browser.conftest import CYPE_PLAN, IMPROVEMENT_PLAN, sign_in
from tests.browser.test_accessibility import PAGES, USERNAMES, query, visit
from tests.factories import ItemFactory, MeetingFactory
from themes.models import Plan

WIDTHS = (1280, 768, 390, 320)
MM = 96 / 25.4
# A4 less the margins in static/scss/_print.scss (12 mm each side).
A4_PORTRAIT = int((210 - 24) * MM)
A4_LANDSCAPE = int((297 - 24) * MM)

ADMIN_PAGES = {
    "admin index": (
        "administrator",
        visit("/admin/", "Plans, themes, leads, timeframes and actions"),
    ),
    "admin actions": ("administrator", visit("/admin/actions/action/", "Select action to change")),
    # A plan's themes as a table of text boxes, and a history's six columns.
    "admin plan with its themes": (
        "administrator",
        visit(
            lambda: f"/admin/themes/plan/{Plan.objects.get(slug=CYPE_PLAN).pk}/change/",
            "Add another Theme",
        ),
    ),
    "admin history of an action": (
        "administrator",
        visit(lambda: f"/admin/actions/action/{changed_action().pk}/history/", "Change reason"),
    ),
}
USERS = {**USERNAMES, "administrator": "planadmin"}


def changed_action():
    """An action with a change in its history (loaddata records none)."""
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="1.2")
    action._change_reason = "Corrected from the published plan, a long reason in the table."
    action.save()
    return action


WIDER_THAN_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .filter((el) => el.parentElement.getBoundingClientRect().right <= width + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} ends at `
            + `${Math.round(el.getBoundingClientRect().right)}px`);
}"""

OVERLAPPING_CONTROLS = """() => {
    const name = (el) => `${el.tagName.toLowerCase()}#`
        + `${el.id || el.name || el.textContent.trim().slice(0, 20)}`;
    const controls = [...document.querySelectorAll(
        "input:not([type=hidden]), select, textarea, button, a.govuk-button"
    )].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 2 && box.height > 2 && getComputedStyle(el).visibility !== "hidden";
    });
    const found = [];
    controls.forEach((a, i) => controls.slice(i + 1).forEach((b) => {
        if (a.contains(b) || b.contains(a)) return;
        const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
        const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (x > 1 && y > 1) found.push(`${name(a)} overlaps ${name(b)}`);
    }));
    return found;
}"""

# A table in a scrolling region keeps the page from scrolling, but on a phone nothing says
# that columns lie past the region's edge: there each row is a card (.app-stack).
TABLES_CUT_OFF = """() => [...document.querySelectorAll(".table-scroll")]
    .filter((region) => region.scrollWidth > region.clientWidth + 1)
    .map((region) => {
        const caption = region.querySelector("caption");
        const label = document.getElementById(region.getAttribute("aria-labelledby"));
        const name = (caption || label || region).textContent.trim().slice(0, 50);
        return `the table "${name}" runs ${region.scrollWidth - region.clientWidth}px `
            + "past the screen's edge";
    })"""
PHONE_WIDTHS = (390, 320)

PRINTED_PROBLEMS = """(width) => {
    const problems = [];
    if (document.documentElement.scrollWidth > width + 1) {
        problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
    }
    document.querySelectorAll("table").forEach((table, i) => {
        const box = table.getBoundingClientRect();
        if (box.width && (box.right > width + 1 || table.scrollWidth > table.clientWidth + 1)) {
            problems.push(`table ${i + 1} ends at ${Math.round(box.right)}px`);
        }
    });
    const controls = "form, input:not([type=hidden]), select, textarea, button";
    document.querySelectorAll(controls).forEach((el) => {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) problems.push(`${el.tagName.toLowerCase()} printed`);
    });
    return problems;
}"""


def is_landscape(page):
    return page.locator('link[href*="print-landscape"]').count() > 0


def check(page, open_page, *, on_paper=True):
    """What is wrong with one page, on screen at each width and (on_paper) in print."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page)
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found += [f"{width}px: {p}" for p in page.evaluate(WIDER_THAN_SCREEN)]
        found += [f"{width}px: {p}" for p in page.evaluate(OVERLAPPING_CONTROLS)]
        if width in PHONE_WIDTHS:
            found += [f"{width}px: {p}" for p in page.evaluate(TABLES_CUT_OFF)]
    if not on_paper:
        return found
    sheet = A4_LANDSCAPE if is_landscape(page) else A4_PORTRAIT
    page.emulate_media(media="print")
    page.set_viewport_size({"width": sheet, "height": 900})
    found += [f"printed: {p}" for p in page.evaluate(PRINTED_PROBLEMS, sheet)]
    page.emulate_media(media="screen")
    return found


def tables_cut_off_on_a_phone(page):
    """Each table on the page as it is now that runs past the screen's edge at a phone's
    width; the page is back at 1280 pixels after."""
    found = []
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found += [f"{width}px: {p}" for p in page.evaluate(TABLES_CUT_OFF)]
    page.set_viewport_size({"width": 1280, "height": 900})
    return found


def printed_text(page, pdf):
    """The page printed on A4 (its own page size, if it sets one), as pdftotext lays out
    its text: one form feed between sheets."""
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    page.emulate_media(media="screen")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def printed_sheets(page, pdf):
    """The text of each printed sheet, its whitespace collapsed."""
    return [" ".join(sheet.split()) for sheet in printed_text(page, pdf).split("\f")]


PUSH_DOWN = """([selector, height]) => {
    document.getElementById("printed-push-down")?.remove();
    const space = document.createElement("div");
    space.id = "printed-push-down";
    space.style.height = `${height}px`;
    document.querySelector(selector).before(space);
}"""


def split_across_sheets(page, tmp_path, selector, first, last):
    """Push what `selector` finds down the page, 40 px at a time through a sheet's height,
    so that it starts at every point of a sheet, and print each time. Returns where `first`
    ended up on another sheet than `last` (the heading at the foot of one sheet, what it
    heads on the next)."""
    split = []
    for height in range(0, 1100, 40):
        page.evaluate(PUSH_DOWN, [selector, height])
        sheets = printed_sheets(page, Path(tmp_path) / "pushed.pdf")
        with_first = [i for i, sheet in enumerate(sheets) if first in sheet]
        with_last = [i for i, sheet in enumerate(sheets) if last in sheet]
        if with_first[:1] != with_last[:1]:
            split.append(
                f"pushed {height}px: {first!r} on sheet {with_first}, {last!r} on {with_last}"
            )
    return split


@contextmanager
def signed_in(browser, live_server, who):
    """A page of a new browser context, signed in as `who` (a key of USERS), or not
    signed in (None)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        if who:
            sign_in(page, USERS[who])
        yield page
    finally:
        context.close()


def assert_none_found(problems):
    """Fail with every problem found, page by page ({page name: [problem, ...]})."""
    assert not problems, "\n".join(
        f"{name}: {problem}" for name, found in problems.items() for problem in found
    )


@pytest.mark.browser
def test_every_page_fits_a_phone_and_a_sheet_of_a4(request, browser, live_server):
    for person in ("officer", "scrutiny_member", "administrator"):
        request.getfixturevalue(person)
    problems = {}
    for who in (None, "scrutiny_member", "officer", "administrator"):
        with signed_in(browser, live_server, who) as page:
            for name, (person, open_page) in {**PAGES, **ADMIN_PAGES}.items():
                # Each "entered later" page records a late update as it opens; one is
                # enough in a shared database (the dashboard is checked without it).
                if name == "dashboard with updates entered later":
                    continue
                if person == who:
                    # The admin is for data entry on screen; it is not printed.
                    found = check(page, open_page, on_paper=name not in ADMIN_PAGES)
                    if found:
                        problems[name] = found

    assert_none_found(problems)


@pytest.mark.browser
def test_the_dashboard_never_scrolls_sideways_from_320_to_1400_pixels(page, administrator):
    """A tablet, or a 1280-pixel laptop zoomed to 125% or 150%, once scrolled the whole
    page sideways: the six-column "RAG by theme" table sat beside the chart in half the
    width from 769 pixels, and "Complete or closed" was cut off."""
    sign_in(page, "planadmin")
    found = []
    for plan in (IMPROVEMENT_PLAN, CYPE_PLAN):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/" + query(plan=plan))
        for width in range(320, 1401, 20):
            page.set_viewport_size({"width": width, "height": 900})
            found += [f"{plan} at {width}px: {p}" for p in page.evaluate(WIDER_THAN_SCREEN)]
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_the_printed_dashboard_keeps_rag_by_theme_on_one_sheet_without_admin_links(
    page, administrator, tmp_path
):
    """Printed, "RAG by theme" once ended a sheet with its first bar and the table's
    caption, the rest on the next; and the plan administrators' links were printed."""
    sign_in(page, "planadmin")
    page.goto("/" + query(plan=IMPROVEMENT_PLAN))
    assert page.get_by_text("Plan administration:").is_visible()
    table = page.get_by_role("table", name="Actions by theme and latest RAG")
    # Its first words: a long name wraps in the table and is cut short under its bar.
    last_theme = " ".join(table.locator("tbody th").last.inner_text().split()[:3])

    split = split_across_sheets(
        page, tmp_path, ".rag-by-theme, #rag-by-theme", "RAG by theme", last_theme
    )

    assert not split, "\n".join(split)
    words = " ".join(printed_sheets(page, Path(tmp_path) / "dashboard.pdf"))
    assert "Complete or closed" in words
    assert "Plan administration" not in words and "import a plan" not in words


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/data-quality/", "Data quality"),
        ("/imports/", "Import a plan"),
        ("/updates/", "Upload updates"),
    ],
)
def test_a_printed_page_about_no_plan_names_itself_and_the_print_date_on_each_sheet(
    page, administrator, tmp_path, path, title
):
    """Pages about no one plan or date printed with an empty head on each sheet."""
    sign_in(page, "planadmin")
    page.goto(path)
    printed = timezone.localdate()

    sheets = [sheet for sheet in printed_sheets(page, Path(tmp_path) / "page.pdf") if sheet]

    assert sheets
    for sheet in sheets:
        assert sheet.startswith(f"{title} · Printed {printed:%-d %B %Y}"), sheet[:120]


@pytest.mark.browser
def test_the_printed_meeting_keeps_each_heading_with_what_follows(page, scrutiny_member, tmp_path):
    """Printed, "Action list for this meeting" and its introduction could end a sheet,
    the list alone on the next."""
    from scrutiny.models import Kind, Meeting
    from scrutiny.services import item_raise

    earlier = Meeting.objects.create(held_on=date(2022, 3, 1), minute_numbers="1/22 to 9/22")
    words = "Members asked for the placements review to be summarised."
    item_raise(
        meeting=earlier,
        kind=Kind.INFORMATION_REQUEST,
        words=words,
        entered_by=None,
        answerer_as_minuted="Head of Finance",
    )
    meeting = Meeting.objects.create(held_on=date(2022, 6, 1), minute_numbers="10/22")
    sign_in(page, "councillor")
    page.goto(f"/scrutiny/meetings/{meeting.pk}/")

    split = split_across_sheets(
        page, tmp_path, "#action-list-heading", "Action list for this meeting", "Members asked"
    )

    assert not split, "\n".join(split)


OVERDUE_HEADINGS = [
    "Ref",
    "Action",
    "Theme",
    "Timeframe",
    "Due",
    "Days overdue",
    "Latest status",
    "RAG",
    "Last updated",
    "Why an exception",
]


@pytest.mark.browser
def test_the_printed_overdue_list_keeps_every_column_and_names_plan_and_date(
    page, scrutiny_member, tmp_path
):
    sign_in(page, "councillor")
    page.goto("/overdue/" + query(plan=IMPROVEMENT_PLAN, as_at="2021-08-01"))
    rows = page.locator(".exception-table tbody tr")
    rags = [
        rows.nth(i).locator("td").nth(7).inner_text().split("\n")[0] for i in range(rows.count())
    ]
    assert len(rags) == 7

    text = printed_text(page, Path(tmp_path) / "overdue.pdf")

    sheets = [sheet for sheet in text.split("\f") if sheet.strip()]
    assert len(sheets) <= 3, "seven actions should take no more than three sheets"
    for sheet in sheets:
        assert "Children's Continuous Improvement Plan 2021-24 · Position as at 1 August 2021" in (
            sheet
        )
        assert "· Printed " in sheet
    words = " ".join(text.split())
    # A heading may wrap inside its cell ("Days / overdue"), so look for each of its words.
    for heading in OVERDUE_HEADINGS:
        assert all(f" {word} " in f" {words} " for word in heading.split()), heading
    # Every row's RAG word is there, as many times as there are rows with it.
    for rag in set(rags):
        assert words.count(rag) >= rags.count(rag), rag
    assert "Choose what to show" not in words and "Show today" not in words


@pytest.mark.browser
def test_the_admin_action_list_shows_every_column_at_1280_pixels(page, administrator):
    sign_in(page, "planadmin")
    page.goto("/admin/actions/action/")

    results = page.locator("#changelist .results")
    sideways = results.evaluate("(el) => el.scrollWidth - el.clientWidth")
    assert sideways <= 0, f"the list scrolls {sideways}px sideways"
    for column in ("Latest status", "RAG (date)", "Overdue", "At risk", "Stale"):
        header = page.locator("#result_list thead th", has_text=column).first
        box = header.bounding_box()
        assert box and box["x"] + box["width"] <= 1280, column


# Each tabular inline's rows on a phone: how far it scrolls sideways, each cell's box (a
# hidden cell has none) and the column name shown above it.
INLINE_ROWS = """(group) => ({
    sideways: group.scrollWidth - group.clientWidth,
    cells: [...group.querySelectorAll("tbody tr.form-row:not(.empty-form) td:not(.original)")]
        .filter((td) => td.getClientRects().length)
        .map((td) => {
            const box = td.getBoundingClientRect();
            const shown = getComputedStyle(td, "::before");
            return {
                name: `${td.closest("tr").id} ${td.className}`,
                left: box.left,
                right: box.right,
                label: shown.display === "none" ? "" : shown.content.replace(/^"|"$/g, ""),
                wanted: td.dataset.label || "(a column name)",
            };
        }),
})"""


@pytest.mark.browser
def test_the_admin_tabular_inlines_fit_a_phone(page, administrator):
    """On a phone each tabular inline's row is a card, every box and value under its
    column's name. As tables, an action's progress history ran 428 pixels wide in its
    360-pixel box at 390 pixels, a plan's themes 414, and the sub-steps 324 in 290 at 320:
    the column names alone were wider than the screen. (Sub-steps ran 1,243 pixels wide
    before their boxes were made to share the width.)"""
    action = (
        Action.objects.filter(sub_steps__isnull=False, progress_updates__isnull=False)
        .distinct()
        .first()
    )
    item = ItemFactory(meeting=MeetingFactory(held_on=date(2019, 2, 5)))
    steps_and_history = ["#sub_steps-group", "#progress_updates-group"]
    pages = {
        f"/admin/actions/action/{action.pk}/change/": steps_and_history,
        f"/admin/themes/plan/{Plan.objects.get(slug=CYPE_PLAN).pk}/change/": ["#themes-group"],
        f"/admin/themes/theme/{action.theme_id}/change/": ["#savings-group"],
        f"/admin/scrutiny/item/{item.pk}/change/": ["#state_changes-group"],
    }
    sign_in(page, "planadmin")
    found = []
    for path, groups in pages.items():
        page.goto(path)
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for group in groups:
                shown = page.locator(group).evaluate(INLINE_ROWS)
                if shown["sideways"] > 0:
                    found.append(f"{width}px {group} scrolls {shown['sideways']}px sideways")
                assert shown["cells"], f"{group} has no rows"
                for cell in shown["cells"]:
                    if cell["left"] < 0 or cell["right"] > width:
                        found.append(f"{width}px {group} {cell['name']} ends at {cell['right']}")
                    if cell["label"] != cell["wanted"]:
                        found.append(f"{width}px {group} {cell['name']} is not under its name")
        page.set_viewport_size({"width": 1280, "height": 900})
    assert not found, "\n".join(found)
