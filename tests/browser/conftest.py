"""Shared fixtures for the browser tests: Debian's chromium driven by Playwright against
pytest-django's live server, with axe-core for accessibility checks.

Nothing here downloads a browser: the tests use /usr/bin/chromium (Debian's `chromium`
package) and axe-core from node_modules (`make static` installs it with `npm ci`). If
either is missing the tests fail, saying how to install it: CI must run them.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from actions import roles
from actions.models import Lead

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Without the background-networking flags Chromium tries to reach Google, and this
# machine's closed network refuses it.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The app's Content-Security-Policy allows scripts from its own origin only, so an inline
# <script> (what add_script_tag(path=...) makes) is refused. Rather than switch the policy
# off (bypass_csp would hide a page that breaks under it), each context answers this
# same-origin address with node_modules' axe.min.js, and axe is added as a script file.
AXE_PATH_ON_SITE = "/__browser-tests__/axe.min.js"
# Long enough for a slow CI machine, short enough that a wrong selector fails quickly.
TIMEOUT_MS = 15_000

IMPROVEMENT_PLAN = "childrens-continuous-improvement-plan-2021-24"
CYPE_PLAN = "cype-directorate-plan-2022-24"

PASSWORD = "browser-test-password-2024"

# Where test_accessibility.py saves a full-page PNG of each page it checks, when set.
SCREENSHOTS = os.environ.get("CYPEPLAN_SCREENSHOTS", "")
ALLOW_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


# --- The browser ------------------------------------------------------------------


def _require_prerequisites():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. The browser tests drive Debian's chromium package: "
            "install it with `sudo apt-get install chromium` (never `playwright install`).",
            pytrace=False,
        )
    if not AXE.exists():
        pytest.fail(
            f"{AXE} is missing. axe-core comes from npm, pinned in package.json: run "
            "`make static` (or `sh scripts/build_static.sh`, which runs `npm ci`).",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One headless chromium for the whole run.

    Playwright's sync API keeps an asyncio loop running on the main thread for as long
    as it is started, which Django's async-safety check takes for async code calling
    the ORM. Every test here (and any test that runs while the browser is open) calls the
    ORM from plain synchronous code, so tell Django so until Playwright stops."""
    _require_prerequisites()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "The playwright Python package is missing: `.venv/bin/pip install -e '.[dev]'` "
            "(the package only; the tests use Debian's chromium, so no `playwright install`).",
            pytrace=False,
        )
    before = os.environ.get(ALLOW_ASYNC_UNSAFE)
    os.environ[ALLOW_ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop(ALLOW_ASYNC_UNSAFE, None)
        else:
            os.environ[ALLOW_ASYNC_UNSAFE] = before


@pytest.fixture
def browser_context_options():
    """Override in a test module to change how its contexts are made."""
    return {}


@pytest.fixture
def context(browser, live_server, browser_context_options):
    """A fresh context (cookies, storage) per test, pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        **browser_context_options,
    )
    context.route(
        f"**{AXE_PATH_ON_SITE}",
        lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


# --- Data -------------------------------------------------------------------------


def ensure_role_groups():
    """The role groups the migrations make. A transactional test's flush empties every
    table, so an earlier live-server test may have removed them: make them again, with
    the permissions actions/roles.py gives them."""
    for name, permissions in roles.GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [tuple(permission.split(".")) for permission in permissions]
        found = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        assert len(found) == len(wanted), f"permissions missing for {name}"
        group.permissions.set(found)


@pytest.fixture
def real_plans(transactional_db, live_server):
    """The council's two real plans, in a database the live server's threads can see."""
    ensure_role_groups()
    call_command(
        "loaddata",
        "cype_directorate_plan_2022_24",
        "childrens_continuous_improvement_plan_2021_24",
        verbosity=0,
    )


def make_user(username, group, **fields):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def scrutiny_member(real_plans):
    return make_user("councillor", roles.SCRUTINY_MEMBERS, first_name="Sam", last_name="Councillor")


# The officer leads Róisín Madden's actions: 3.1 (complete), 5.3 and 5.4 (not started,
# due July 2021) in the improvement plan, and four in the CYPE plan.
OFFICER_LEAD = {"name": "Róisín Madden", "initials": "RM"}


@pytest.fixture
def officer(real_plans):
    user = make_user("roisin", roles.OFFICERS, first_name="Róisín", last_name="Madden")
    lead = Lead.objects.get(**OFFICER_LEAD)
    lead.user = user
    lead.save()
    return user


@pytest.fixture
def administrator(real_plans):
    return make_user(
        "planadmin", roles.PLAN_ADMINISTRATORS, is_staff=True, first_name="Pat", last_name="Admin"
    )


# --- Helpers ----------------------------------------------------------------------


def sign_in(page, username, password=PASSWORD):
    """Sign in through the real form at /sign-in/ and wait for the page it leads to."""
    page.goto("/sign-in/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    assert page.get_by_text("Signed in as").count() == 1, "not signed in"


# Best practice rather than WCAG in axe, but what a screen-reader user navigating by
# landmark meets: all content is in a landmark (a back link before <main> included), and
# no two landmarks of a kind share a name (a section and the table region inside it).
LANDMARK_RULES = ["region", "landmark-unique"]


def axe_violations(page, rules=()):
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as it is now, and
    those of the named extra `rules`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH_ON_SITE)
    return page.evaluate(
        """([tags, rules]) => axe.run(document, {
                runOnly: {type: "tag", values: tags},
                rules: Object.fromEntries(rules.map(rule => [rule, {enabled: true}])),
            }).then(results => results.violations)""",
        [AXE_TAGS, list(rules)],
    )


def describe_violations(violations):
    """One readable block per violation: id, impact, help, and each failing node."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}: {summary}" if summary else f"    {target}")
    return "\n".join(lines)


def assert_no_axe_violations(page, name=""):
    violations = axe_violations(page, LANDMARK_RULES)
    where = f"{name} ({page.url})" if name else page.url
    assert not violations, f"axe found {len(violations)} violation(s) on {where}:\n" + (
        describe_violations(violations)
    )


def screenshot(page, name):
    """A full-page PNG named after the page, when CYPEPLAN_SCREENSHOTS names a directory."""
    if not SCREENSHOTS:
        return None
    directory = Path(SCREENSHOTS)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def text_of(locator):
    """A locator's visible text with its whitespace collapsed."""
    return " ".join(locator.inner_text().split())


# --- The keyboard -----------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: el.getAttribute("name") || "",
        text: (el.textContent || "").replace(/\\s+/g, " ").trim(),
        classes: el.className || "",
    };
}"""


def focused(page):
    """What has the keyboard focus: tag, id, name, text and classes; None for the body."""
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, *, limit=60):
    """Press Tab until `wanted(focused element)` holds, as a keyboard user would; fail
    after `limit` presses. Returns the focused element's description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is not None and wanted(element):
            return element
        seen.append(element and (element["id"] or element["text"][:40] or element["tag"]))
    raise AssertionError(f"Tab never reached the element; it went through {seen}")


def tab_to_id(page, element_id, **kwargs):
    return tab_to(page, lambda element: element["id"] == element_id, **kwargs)


def tab_to_text(page, text, *, tag=None, **kwargs):
    return tab_to(
        page,
        lambda element: element["text"] == text and (tag is None or element["tag"] == tag),
        **kwargs,
    )


def fill_as_at(page, iso_date):
    """Type a date into the as-at control's three boxes (day, month, year)."""
    year, month, day = (str(int(part)) for part in iso_date.split("-"))
    form = page.get_by_role("form", name="Choose what to show")
    form.get_by_label("Day", exact=True).fill(day)
    form.get_by_label("Month", exact=True).fill(month)
    form.get_by_label("Year", exact=True).fill(year)
