"""The "entered later" notice on a page as at a past date (includes/late_entries.html)."""

from urllib.parse import urlencode

from django import template
from django.db import models
from django.urls import reverse

from actions.late_entries import EVERY_PLAN, About
from cypeplan.kept import count_and_version, kept_value

register = template.Library()


# --- Updates entered after a past as-at date ----------------------------------------


def _page_about(context):
    """What a page shows the position of: its action, theme or lead on their pages; the
    chosen plan on plan pages (or where ?plan= filters); None (every plan) unfiltered."""
    for kind in ("action", "theme", "lead"):
        thing = context.get(kind)
        if thing is not None and isinstance(thing, models.Model):
            return About(kind, thing)
    request = context.get("request")
    if context.get("choose_plan") or (request is not None and request.GET.get("plan")):
        return About("plan", context["scope"].plan)
    return None


@register.simple_tag(takes_context=True)
def late_entries(context):
    """How many updates reporting on or before the page's past as-at date were entered after
    that day (ProgressUpdate.entered_late) or corrected after it (corrected_late), how many
    due dates were confirmed after it
    (DateConfirmation.entered_late) and how many timeframes changed after it
    (late_entries.timeframe_changes_late_count), on the actions the page shows, with the
    link to them; and how many of those actions were added to their plan after that day
    (About.added_after), which the page leaves out; and the actions given another lead or
    theme since (About.moved_late), which the page shows where they are now; and on a lead's
    page, the actions they were made or stopped being a supporting lead of since
    (About.support_changed_late), which it counts as they are now. None when there are none
    or the page answers for today. Five COUNT queries, one for the moves and, on a lead's
    page, one for the supporting leads, only on a past date; none while they are kept."""
    scope = context.get("scope")
    if scope is None or scope.as_at >= scope.today:
        return None
    about = _page_about(context)
    # Kept while nothing in the database changes (cypeplan/kept.py).
    return kept_value(
        scope.kept_key(
            "late_entries",
            about.kind if about else "",
            getattr(about.thing, "pk", "") if about else "",
        ),
        scope.data_version,
        lambda: _late_entries(scope, about),
    )


def _late_entries(scope, about):
    """The notice (or None) and the data's version read with its last query."""
    about_actions = about or EVERY_PLAN
    late = about_actions.entered_late(scope.as_at)
    corrected = about_actions.corrected_late(scope.as_at)
    confirmed = about_actions.confirmed_late(scope.as_at)
    timeframes = about_actions.timeframe_changes_late_count(scope.as_at)
    counts = {
        "count": late.count(),
        "corrected": corrected.count(),
        "confirmed": confirmed.count(),
        "timeframes": timeframes,
    }
    total = sum(counts.values())
    moved = about_actions.moved_late(scope.as_at)
    supported = about_actions.support_changed_late(scope.as_at)
    # Last, with the data's version: unchanged since the page read it, every query here
    # saw the data as at that version (kept_value).
    added, version = count_and_version(about_actions.added_after(scope.as_at))
    if not total and not added and not moved and not supported:
        return None, version
    query = {"as_at": scope.as_at.isoformat(), **(about.query if about else {})}
    return {
        **counts,
        "total": total,
        "added": added,
        "moved": moved,
        "supported": supported,
        "kind": about.kind if about else "",
        "within": about.within if about else "",
        "url": f"{reverse('actions:late_entries')}?{urlencode(query)}",
    }, version
