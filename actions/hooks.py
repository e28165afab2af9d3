"""Where apps beside `actions` add to its pages, so that arrows run towards `actions`.

`actions` doesn't know reports, scrutiny or imports exist (STYLE.md). Instead its pages
name places ("dashboard", "action_detail", "my_actions") and ask this registry what other
apps want shown there; an app registers its panels in its AppConfig.ready(). The same goes
for sections of the update reminder email, filters on the register and links in the
header's navigation (below).

A panel is a callable `panel(request, **context)` returning the HTML to show (rendered with
render_to_string) or "" for nothing. It must run a fixed number of queries, whatever the
data size. Panels appear in the order they were registered. The dashboard passes `plan`,
`as_at` and `counts` (its ActionQuerySet.counts, None without a plan), so a panel need not
ask for them again; an action's page passes `action`, `as_at`, `confirmations` and its
`scope` (actions/views/scope.py: with the data's version, for a panel kept as drawn,
cypeplan/kept.py).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import mark_safe

PLACES = ("dashboard", "action_detail", "my_actions")

_panels = defaultdict(list)


def register_panel(place, panel):
    """Show `panel` on the page named `place` (one of PLACES)."""
    if place not in PLACES:
        raise ValueError(f"No page place called {place!r}: choose from {', '.join(PLACES)}.")
    if panel not in _panels[place]:
        _panels[place].append(panel)


def panels(place, request, **context):
    """The HTML each registered panel gives for this page, leaving out empty ones."""
    shown = (panel(request, **context) for panel in _panels[place])
    return [mark_safe(html) for html in shown if html]


# --- What an action's page reads with the action ---------------------------------------
# A panel on an action's page may need to know something about the action before it asks
# for more (whether anything of its app concerns it at all). Rather than a query of its
# own, it can have it read with the action, in the page's one query for it: `make()`
# returns an expression over the Action (OuterRef("pk") for a subquery), annotated on the
# action as `name`. The page also reads the data's version with the action
# (cypeplan/kept.py), as `ACTION_READ_AT`, so a kept panel knows what it read was current.

ACTION_READ_AT = "read_at_version"

_action_detail_annotations = {}


def register_action_detail_annotation(name, make):
    """Read `make()`'s expression with the action on its page, as `action.<name>`."""
    _action_detail_annotations[name] = make


def action_detail_annotations():
    """{name: expression} for every registered annotation."""
    return {name: make() for name, make in _action_detail_annotations.items()}


# --- Reminder sections ------------------------------------------------------------
# Other apps add to the update reminder email (actions/reminders.py) the same way: a
# section is `section(as_at)` returning a list of ReminderSection, at most one per person,
# in a fixed number of queries. A person with only a section to read still gets an email.


@dataclass(frozen=True)
class ReminderEntry:
    """One thing a reminder lists: a title, lines about it, and where to act on it."""

    title: str
    url: str
    lines: tuple = ()


@dataclass(frozen=True)
class ReminderSection:
    """Part of one person's reminder: `user` (active, with an email address), a heading,
    a summary for the subject line ("1 answer to scrutiny overdue"), the entries, and why
    they are listed, for the email's closing line ("You get this email when …"): "an
    answer … is overdue or due within 30 days"."""

    user: object
    heading: str
    summary: str
    entries: tuple
    why: str


_reminder_sections = []


def register_reminder_section(section):
    """Add `section(as_at)`'s ReminderSections to the update reminders."""
    if section not in _reminder_sections:
        _reminder_sections.append(section)


def reminder_sections(as_at):
    """Every registered section's ReminderSections for `as_at`, in registration order."""
    return [found for section in _reminder_sections for found in section(as_at)]


# --- Register filters -------------------------------------------------------------
# Other apps add filters to the register (actions/filters.py ActionFilter): a filter maker
# is `make(as_at)` returning a django_filters Filter whose method filters Actions (a
# callable, as django-filter allows). It is added under `name`, after actions' own.

_register_filters = {}


def register_register_filter(name, make):
    """Offer the filter `make(as_at)` returns on the register, as ?name=value."""
    _register_filters[name] = make


def register_filters(as_at):
    """(name, filter) for each registered register filter, made for `as_at`."""
    return [(name, make(as_at)) for name, make in _register_filters.items()]


# --- Service navigation ------------------------------------------------------------
# Other apps add a link to the header's navigation: (key, text, URL name, what it keeps:
# "plan", "date" or ""), shown after actions' own and before "My actions".

_navigation = []


def register_navigation(key, text, url_name, keeps=""):
    entry = (key, text, url_name, keeps)
    if entry not in _navigation:
        _navigation.append(entry)


def navigation():
    return list(_navigation)


# --- Actions other apps hold on to ------------------------------------------------------
# An action another app's records are about (members asked about it at a meeting) must
# not be deleted: those records would lose it. A keeper is `keeper(action_ids)` returning
# {action id: why, in words} for those it holds on to, from a fixed number of queries.

_keepers = []


def register_action_keeper(keeper):
    if keeper not in _keepers:
        _keepers.append(keeper)


def actions_kept(action_ids):
    """{action id: [why, ...]} for those of `action_ids` another app holds on to."""
    kept = defaultdict(list)
    ids = list(action_ids)
    if not ids:
        return {}
    for keeper in _keepers:
        for action_id, why in keeper(ids).items():
            kept[action_id].append(why)
    return dict(kept)
