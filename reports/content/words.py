"""A position, a date and a change in words, as a report's tables write them, and the
number of the wording they are written in."""

from functools import lru_cache

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import Truncator
from django.utils.translation import get_language

# The way a report published now writes its words. A published report keeps the one it was
# published with (QuarterlyReport.wording) and is always shown in it; each change to what
# these functions say is a new number, with the old words kept for the reports before it.
# 1: reports published before the wording was kept (November 2026).
# 2: an action without a reference is named by its words, in the lead table and as each
#    table row's heading; a completion without evidence says so; a plan's first report
#    says there is nothing earlier to compare with.
# 3: the http and https web addresses in an Evidence column are links (on the page, in the
#    Word file and in the PDF).
WORDING = 3


def long_date(value):
    return format_date(value, "j F Y") if value else ""


def moment(value):
    """A moment as people say it, in local time: "5 October 2022 at 10:15"."""
    return format_date(timezone.localtime(value), "j F Y \\a\\t H:i") if value else ""


def change_words(now, before, short_name):
    """ "3 more than at Quarter 1 2022/23"; "2 fewer ..."; "the same as at ..."."""
    if before is None:
        return ""
    difference = now - before
    if difference > 0:
        return f"{difference} more than at {short_name}"
    if difference < 0:
        return f"{-difference} fewer than at {short_name}"
    return f"the same as at {short_name}"


# --- A position in words, for the tables --------------------------------------------


def short_date(value):
    return _short_date(value, get_language()) if value else ""


@lru_cache(maxsize=4096)
def _short_date(value, language):
    # A large plan's tables write the same few hundred dates tens of thousands of times;
    # `language` keys the cache, as month names are translated.
    return format_date(value, "j M Y")


def action_words(position):
    text = f"{position.reference} {position.description}".strip()
    return text


def action_name(position):
    """An action as a list of them names it: its reference; without one, its words cut
    short, as the other pages name an action (the CYPE plan's actions have no references)."""
    return position.reference or Truncator(position.description).chars(100)


def action_names(positions, wording):
    """Several actions in one cell: references run on ("1.1, 2.3"); an action named by its
    words starts a line of its own. The first wording said "(no ref)" for each without one."""
    if wording == 1:
        return ", ".join(p.reference or "(no ref)" for p in positions)
    if all(p.reference for p in positions):
        return ", ".join(p.reference for p in positions)
    return "\n".join(action_name(p) for p in positions)


def lead_words(position):
    lead = position.lead_name
    if position.lead_job_title:
        lead += f", {position.lead_job_title}"
    if position.supporting_leads:
        lead += f"\nSupported by {', '.join(position.supporting_leads)}"
    return lead


def due_words(position):
    """The due date, with the timeframe as the plan wrote it and any revision's reason."""
    if position.due_on is None:
        return f"No due date ({position.timeframe_label})" if position.timeframe_label else ""
    words = f"{short_date(position.due_on)}"
    if position.original_due_on and position.original_due_on != position.due_on:
        words = (
            f"Revised to {short_date(position.due_on)}\nPlan: {position.timeframe_label} "
            f"({short_date(position.original_due_on)})"
        )
        if position.revised_due_reason:
            words += f"\nWhy: {position.revised_due_reason}"
    elif position.timeframe_label and position.timeframe_label != words:
        words += f"\n({position.timeframe_label})"
    return words


def status_words(position):
    """Status and RAG, always as words, with the date of the update they come from."""
    if position.is_finished:
        words = position.status_label
    else:
        words = f"{position.status_label}\n{position.rag_words}"
    if position.latest_reported_on:
        words += f"\nas at {short_date(position.latest_reported_on)}"
    else:
        words += "\nNo update yet"
    return words


def flag_words(position):
    """Overdue / at risk (with why) / stale, or complete, or no concerns."""
    if position.is_finished:
        return position.status_label
    flags = []
    if position.is_overdue:
        days = position.days_overdue
        flags.append(f"Overdue by {days} day{'s' if days != 1 else ''}" if days else "Overdue")
    if position.is_at_risk:
        reasons = "; ".join(position.risk_reasons)
        flags.append(f"At risk: {reasons}" if reasons else "At risk")
    if position.is_stale and not any("No update" in reason for reason in position.risk_reasons):
        flags.append("Stale: no recent update")
    return "\n".join(flags) or "No concerns"


CHANGE_DETAIL_HEADINGS = {
    "newly_overdue": "Days overdue",
    "overdue_carried_over": "Days overdue",
    "newly_at_risk": "Why at risk",
    "rag_changes": "Change and the officer’s reason",
    "completions": "Evidence",
    "slipped": "Change and the reason",
    "not_updated": "Last update",
}


def change_detail(name, entry, wording):
    """What changed for one action in one list of actions.changes, in words (a report's
    `wording`: the first left a completion without evidence blank)."""
    if name in ("newly_overdue", "overdue_carried_over"):
        return str(entry.days_overdue) if entry.days_overdue is not None else ""
    if name == "newly_at_risk":
        return entry.now
    if name in ("rag_changes", "slipped"):
        words = f"{entry.was} to {entry.now}"
        return f"{words}\nWhy: {entry.reason}" if entry.reason else f"{words}\nNo reason given"
    if name == "completions":
        lines = [entry.evidence, *entry.evidence_links] if entry.evidence else entry.evidence_links
        if not lines and wording > 1:
            return "No evidence given"
        return "\n".join(lines)
    if name == "not_updated":
        return f"{entry.was}" if entry.was else "Never updated"
    return ""


def evidence_words(position):
    lines = [position.evidence] if position.evidence else []
    lines += list(position.evidence_links)
    return "\n".join(lines)
