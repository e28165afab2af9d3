"""The preview: what a plan's rows would add, change, close and leave alone, as JSON."""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.text import slugify

from actions import hooks
from actions.models import Action, DateConfirmation, Lead, ProgressUpdate, Status, SubStep
from actions.models.rules import NEWEST_FIRST
from cypeplan.history import is_change
from themes.models import Plan, Theme

from ..reading import quoted
from .dates import _applying_confirmation, _new_dates_to_confirm, _step_kept
from .fields import ACTION_FIELDS, THEME_FIELDS, _day, _words_in_file, _words_now
from .leads import LeadIndex, lead_key
from .matching import match_actions, match_steps
from .plan_errors import WEB_ADDRESS, _backwards_errors, _named_plan_errors, _new_plan_errors
from .proposal import _error, propose

__all__ = ["ACTION_FIELDS", "THEME_FIELDS", "WEB_ADDRESS", "compare", "fingerprint"]


def compare(rows, *, plan_slug=""):
    """The preview: what importing the rows would add, change, close and leave alone, per
    plan, theme and action, plus the errors that stop it. JSON-able."""
    proposal = propose(rows)
    errors = list(proposal.errors)
    slug = plan_slug or slugify(proposal.plan_name)[:80]
    plan = Plan.objects.filter(slug=slug).first() if slug else None
    preview = {
        "plan": {
            "name": proposal.plan_name,
            "slug": slug,
            "starts": _day(proposal.plan_starts),
            "ends": _day(proposal.plan_ends),
        },
        "errors": errors,
    }
    if plan is None:
        preview["plan"]["action"] = "add"
        errors.extend(_new_plan_errors(proposal, rows, plan_slug, slug))
        plan_changes = []
    else:
        errors.extend(_named_plan_errors(proposal, plan, plan_slug, slug))
        plan_changes = _plan_changes(proposal, plan)
        preview["plan"]["action"] = "change" if plan_changes else "same"
    preview["plan"]["changes"] = plan_changes
    errors.extend(_backwards_errors(proposal, plan))

    leads = _match_leads(proposal.actions, errors)
    preview["new_leads"] = list(leads.new.values())
    plan_now = _plan_now(plan)
    matches = match_actions(proposal.actions, plan_now.actions, has_history=plan_now.latest_status)
    themes = _theme_entries(proposal, plan_now.themes)
    preview["dates_to_confirm"] = _new_dates_to_confirm(proposal, matches, plan_now.steps)
    matched = _action_entries(proposal, matches, plan_now, leads, themes)
    _leaving_entries(plan_now, matched, themes)
    preview["themes"] = list(themes.values())
    _add_counts(preview, themes_left_alone=len(set(plan_now.themes) - set(themes)))
    return preview


def _plan_changes(proposal, plan):
    """[label, now, in the file] for each of the plan's dates the file changes."""
    plan_changes = []
    for key, attribute, label in [
        ("plan_starts", "starts_on", "Starts"),
        ("plan_ends", "ends_on", "Ends"),
    ]:
        wanted = getattr(proposal, key)
        if wanted and wanted != getattr(plan, attribute):
            plan_changes.append([label, _day(getattr(plan, attribute)), _day(wanted)])
    return plan_changes


@dataclass
class NamedLeads:
    """The people a file names, each matched to a lead: `of` gives ("lead", id), ("new",
    [name, initials]), or None for one who could be more than one lead (an error says so);
    `new` gives the leads to add, once each, with the rows that name them."""

    people: LeadIndex
    of: dict
    new: dict

    def shown(self, words):
        found = self.of.get(words)
        if found is None:
            return words
        if found[0] == "lead":
            return str(self.people.leads[found[1]])
        return Lead.shown_as(*found[1])


def _match_leads(actions, errors):
    """Which lead each person the rows name is, adding an error for each who could be more
    than one, or whose name is too long."""
    # Leads: matched by name or initials; anyone unknown is new, once.
    people = LeadIndex()
    new_leads = {}
    lead_of = {}
    for action in actions:
        for words in action.leads:
            if words in lead_of:
                continue
            lead, candidates = people.find(words)
            if lead is not None:
                lead_of[words] = ("lead", lead.pk)
            elif candidates:
                errors.append(
                    _error(
                        action.row,
                        "leads",
                        words,
                        "could be "
                        + " or ".join(quoted(str(c)) for c in candidates)
                        + ": write the name and initials, e.g. “Iain Low (IL)”.",
                    )
                )
                lead_of[words] = None
            else:
                name, initials = lead_key(words)
                if len(name) > 120 or len(initials) > 10:
                    errors.append(_error(action.row, "leads", words, "is too long for a name."))
                new_leads.setdefault(
                    (name, initials),
                    {
                        "name": name,
                        "initials": initials,
                        "shown": Lead.shown_as(name, initials),
                        "rows": [],
                    },
                )["rows"].append(action.row)
                lead_of[words] = ("new", [name, initials])
    return NamedLeads(people, lead_of, new_leads)


@dataclass
class PlanNow:
    """The plan as it is before the import: its themes by name, its actions by id in order,
    and by action id its sub-steps, its latest status and its dates confirmed (newest first);
    by sub-step id, the newest date confirmed for it."""

    themes: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)
    latest_status: dict = field(default_factory=dict)
    confirmations: dict = field(default_factory=dict)
    step_confirmations: dict = field(default_factory=dict)


def _plan_now(plan):
    """The plan as it is now; nothing for a new plan."""
    now = PlanNow()
    if plan is None:
        return now
    # Themes and actions as they are now.
    now.themes = {theme.name: theme for theme in Theme.objects.filter(plan=plan)}
    for action in (
        Action.objects.filter(theme__plan=plan)
        .select_related("theme", "lead", "timeframe")
        .prefetch_related("supporting_leads")
        .order_by("theme__position", "position")
    ):
        now.actions[action.pk] = action
    for step in (
        SubStep.objects.in_plan()
        .filter(action__theme__plan=plan)
        .select_related("timeframe")
        .order_by("position")
    ):
        now.steps.setdefault(step.action_id, []).append(step)
    for action_id, status in (
        ProgressUpdate.objects.filter(action__theme__plan=plan)
        .order_by("action_id", *NEWEST_FIRST)
        .values_list("action_id", "status")
    ):
        now.latest_status.setdefault(action_id, status)
    # The dates people confirmed for the plan's actions and their steps, newest first.
    for confirmation in DateConfirmation.objects.filter(action__theme__plan=plan).select_related(
        "entered_by"
    ):
        now.confirmations.setdefault(confirmation.action_id, []).append(confirmation)
    for each in now.confirmations.values():
        for confirmation in each:
            if confirmation.sub_step_id:
                now.step_confirmations.setdefault(confirmation.sub_step_id, confirmation)
    return now


def _theme_entries(proposal, themes_now):
    """Each theme the file names, by name: to add, changed or the same, with no actions yet."""
    themes = {}
    for name, proposed in proposal.themes.items():
        now = themes_now.get(name)
        changes = []
        if now is not None:
            for attribute, label in THEME_FIELDS:
                if attribute == "position":
                    continue
                before, after = getattr(now, attribute), proposed[attribute]
                if is_change(before, after):
                    changes.append([label, before, after])
        themes[name] = {
            "name": name,
            "action": "add" if now is None else ("change" if changes else "same"),
            "changes": changes,
            "fields": {
                k: proposed[k] for k in ("reference", "description", "performance_measures")
            },
            "actions": [],
        }
    return themes


def _action_entries(proposal, matches, plan_now, leads, themes):
    """Each row's entry under its theme: an action to add, or the action it is, changed or
    the same. Returns the ids of the actions the rows are."""
    matched = set()
    for index, action in enumerate(proposal.actions):
        now = matches.get(index)
        lead_words, *supporting_words = action.leads or [""]
        after = _words_in_file(action, leads, lead_words, supporting_words)
        entry = {
            "row": action.row,
            "reference": action.reference,
            "description": action.description,
            "position": action.position,
            "lead": leads.of.get(lead_words),
            "supporting": [leads.of.get(words) for words in supporting_words],
            "timeframe": action.timeframe,
            "fields": {
                k: getattr(action, k)
                for k in (
                    "expected_outcome",
                    "delivered_through",
                    "answers",
                    "performance_measures",
                )
            },
            "steps": [list(step) for step in action.steps],
        }
        if now is None:
            entry.update(
                action="add",
                changes=[],
                details=[
                    [label, after[key]]
                    for key, label in ACTION_FIELDS
                    if key in ("lead", "supporting", "timeframe", "answers") and after[key]
                ]
                + ([["Sub-steps", str(len(action.steps))]] if action.steps else []),
            )
        else:
            matched.add(now.pk)
            _compare_action(entry, action, now, after, plan_now)
        themes[action.theme]["actions"].append(entry)
    return matched


def _compare_action(entry, action, now, after, plan_now):
    """Add to a row's entry what it changes in the action `now` it is, the sub-steps with
    dates confirmed that it leaves out, and the confirmed due date it makes lapse."""
    before = _words_now(now, plan_now.steps)
    changes = [
        [label, before[key], after[key]]
        for key, label in ACTION_FIELDS
        if is_change(before[key], after[key])
    ]
    entry.update(action="change" if changes else "same", changes=changes, id=now.pk)
    _, left_out = match_steps(plan_now.steps.get(now.pk, []), action.steps)
    kept_steps = [
        _step_kept(step, confirmed)
        for step in left_out
        if (confirmed := plan_now.step_confirmations.get(step.pk))
    ]
    if kept_steps:
        entry["steps_kept"] = kept_steps
    if before["timeframe"] != after["timeframe"]:
        lapsing = _applying_confirmation(plan_now.confirmations.get(now.pk, []), now)
        if lapsing is not None:
            entry["confirmation_lapses"] = (
                f"Its confirmed due date, {lapsing.confirmed_on:%-d %B %Y}, no longer "
                f"applies: it was confirmed for the timeframe "
                f"{quoted(lapsing.timeframe_label)}, and the timeframe changed."
            )


def _leaving_entries(plan_now, matched, themes):
    """An entry, under its theme, for each action in a theme the file names that no row is:
    to remove, to close, or the same (already closed)."""
    leaving = [
        action
        for action in plan_now.actions.values()
        # A file changes the themes it names: a section's file leaves the rest alone.
        if action.pk not in matched and action.theme.name in themes
    ]
    latest_status = plan_now.latest_status
    # One never updated is removed, unless records are about it (members asked about it, a
    # person confirmed its date): then it is closed, as one with history is, and they keep it.
    kept = hooks.actions_kept(
        action.pk for action in leaving if latest_status.get(action.pk) is None
    )
    for action in leaving:
        status = latest_status.get(action.pk)
        if status is None and action.pk not in kept:
            verb = "remove"
        elif status == Status.CLOSED:
            verb = "same"
        else:
            verb = "close"
        item = {
            "id": action.pk,
            "reference": action.reference,
            "description": action.description,
            "action": verb,
            "changes": [],
            "theme": action.theme.name,
            "kept": verb != "remove",
            "position": action.position,
        }
        if verb == "close":
            item["changes"] = [
                [
                    "Status",
                    Status(status or Status.NOT_STARTED).label,
                    "Closed: no longer in the plan",
                ]
            ]
            if action.pk in kept:
                item["kept_because"] = "; ".join(kept[action.pk])
        themes[action.theme.name]["actions"].append(item)


def _add_counts(preview, *, themes_left_alone):
    """The preview's totals: actions and themes by what happens to them, and whether the
    import changes anything at all."""
    counts = dict.fromkeys(("add", "change", "same", "close", "remove"), 0)
    for theme in preview["themes"]:
        for entry in theme["actions"]:
            counts[entry["action"]] += 1
    preview["counts"] = counts
    preview["themes_left_alone"] = themes_left_alone
    preview["theme_counts"] = {
        verb: sum(1 for t in preview["themes"] if t["action"] == verb)
        for verb in ("add", "change", "same")
    }
    preview["changes_anything"] = bool(
        preview["plan"]["action"] != "same"
        or counts["add"]
        or counts["change"]
        or counts["close"]
        or counts["remove"]
        or preview["theme_counts"]["add"]
        or preview["theme_counts"]["change"]
    )


def fingerprint(preview):
    """What the preview promised, to check the database hasn't moved before confirming."""
    return hashlib.sha256(json.dumps(preview, sort_keys=True, default=str).encode()).hexdigest()
