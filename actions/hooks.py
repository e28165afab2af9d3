"""Where apps beside `actions` add to its pages, so that arrows run towards `actions`.

`actions` doesn't know reports, scrutiny or imports exist (STYLE.md). Instead its pages
name places ("dashboard", "action_detail", "my_actions") and ask this registry what other
apps want shown there; an app registers its panels in its AppConfig.ready().

A panel is a callable `panel(request, **context)` returning the HTML to show (rendered with
render_to_string) or "" for nothing. It must run a fixed number of queries, whatever the
data size. Panels appear in the order they were registered.
"""

from collections import defaultdict

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
