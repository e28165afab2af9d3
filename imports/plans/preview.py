"""The preview: what a plan's rows would add, change, close and leave alone, as JSON."""

import hashlib
import json

from django.utils.text import slugify

from actions import hooks
from actions.models import Action, DateConfirmation, Lead, ProgressUpdate, Status, SubStep
from actions.models.rules import NEWEST_FIRST
from cypeplan.history import is_change
from themes.models import Plan, Theme

from ..reading import quoted
from .dates import _applying_confirmation, _new_dates_to_confirm, _step_kept
from .fields import ACTION_FIELDS, THEME_FIELDS, _day, _steps_words
from .leads import LeadIndex, lead_key
from .matching import _match_reworded, match_steps
from .plan_errors import WEB_ADDRESS, _backwards_errors, _web_address_errors
from .proposal import HEADERS, _error, propose

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
    plan_changes = []
    if plan is None:
        preview["plan"]["action"] = "add"
        errors.extend(_web_address_errors(proposal, plan_slug, slug))
        if Plan.objects.filter(name=proposal.plan_name).exists():
            errors.append(
                f"{HEADERS['plan']}: {quoted(proposal.plan_name)} is already a plan with "
                "another short name: choose it as the plan to import into."
            )
        for key, words in [("plan_starts", "starts"), ("plan_ends", "ends")]:
            if getattr(proposal, key) is None:
                errors.append(
                    f"Row {rows[0][0]}, {HEADERS[key]}: empty: a new plan needs the date it "
                    f"{words}."
                )
    else:
        if proposal.plan_name and proposal.plan_name != plan.name and not plan_slug:
            errors.append(
                f"Row {proposal.plan_row}, {HEADERS['plan']}: {quoted(proposal.plan_name)}: "
                f"a new plan’s web address is made from its name, and this one’s, "
                f"{quoted(slug)}, is already the plan {quoted(plan.name)}’s. Choose that plan "
                "to import into, or name the new plan differently."
            )
        elif proposal.plan_name and proposal.plan_name != plan.name:
            errors.append(
                f"Row {proposal.plan_row}, {HEADERS['plan']}: {quoted(proposal.plan_name)}: this "
                f"file is for another plan than {quoted(plan.name)}."
            )
        for key, attribute, label in [
            ("plan_starts", "starts_on", "Starts"),
            ("plan_ends", "ends_on", "Ends"),
        ]:
            wanted = getattr(proposal, key)
            if wanted and wanted != getattr(plan, attribute):
                plan_changes.append([label, _day(getattr(plan, attribute)), _day(wanted)])
        preview["plan"]["action"] = "change" if plan_changes else "same"
    preview["plan"]["changes"] = plan_changes
    errors.extend(_backwards_errors(proposal, plan))

    # Leads: matched by name or initials; anyone unknown is new, once.
    people = LeadIndex()
    new_leads = {}
    lead_of = {}
    for action in proposal.actions:
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
    preview["new_leads"] = list(new_leads.values())

    def shown(words):
        found = lead_of.get(words)
        if found is None:
            return words
        if found[0] == "lead":
            return str(people.leads[found[1]])
        return Lead.shown_as(*found[1])

    # Themes and actions as they are now.
    themes_now = {theme.name: theme for theme in Theme.objects.filter(plan=plan)} if plan else {}
    actions_now = {}
    if plan is not None:
        for action in (
            Action.objects.filter(theme__plan=plan)
            .select_related("theme", "lead", "timeframe")
            .prefetch_related("supporting_leads")
            .order_by("theme__position", "position")
        ):
            actions_now[action.pk] = action
    steps_now = {}
    if plan is not None:
        for step in (
            SubStep.objects.in_plan()
            .filter(action__theme__plan=plan)
            .select_related("timeframe")
            .order_by("position")
        ):
            steps_now.setdefault(step.action_id, []).append(step)
    latest_status = {}
    if plan is not None:
        for action_id, status in (
            ProgressUpdate.objects.filter(action__theme__plan=plan)
            .order_by("action_id", *NEWEST_FIRST)
            .values_list("action_id", "status")
        ):
            latest_status.setdefault(action_id, status)
    # The dates people confirmed for the plan's actions and their steps, newest first.
    confirmations = {}
    if plan is not None:
        for confirmation in DateConfirmation.objects.filter(
            action__theme__plan=plan
        ).select_related("entered_by"):
            confirmations.setdefault(confirmation.action_id, []).append(confirmation)
    step_confirmations = {}
    for each in confirmations.values():
        for confirmation in each:
            if confirmation.sub_step_id:
                step_confirmations.setdefault(confirmation.sub_step_id, confirmation)
    by_key, by_words = {}, {}
    for action in actions_now.values():
        by_key.setdefault((action.theme.name, action.reference or f"#{action.position}"), action)
        if not action.reference:
            by_words.setdefault((action.theme.name, action.description), []).append(action)
    # Which action already in the plan each row is: the same reference in the same theme;
    # where the plan gives none, the same words, else nearly the same words (reworded),
    # and only for the rows and actions left after those, the same place in the theme.
    matches, taken = {}, set()
    for index, action in enumerate(proposal.actions):
        if action.reference:
            found = by_key.get(action.key())
            if found is not None:
                matches[index] = found
                taken.add(found.pk)
            continue
        for candidate in by_words.get((action.theme, action.description), []):
            if candidate.pk not in taken:
                matches[index] = candidate
                taken.add(candidate.pk)
                break
    _match_reworded(proposal.actions, actions_now, matches, taken, has_history=latest_status)
    for index, action in enumerate(proposal.actions):
        if action.reference or index in matches:
            continue
        found = by_key.get(action.key())
        if found is not None and not found.reference and found.pk not in taken:
            matches[index] = found
            taken.add(found.pk)

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

    preview["dates_to_confirm"] = _new_dates_to_confirm(proposal, matches, steps_now)

    matched = set()
    for index, action in enumerate(proposal.actions):
        now = matches.get(index)
        lead_words, *supporting_words = action.leads or [""]
        after = {
            "reference": action.reference,
            "description": action.description,
            "expected_outcome": action.expected_outcome,
            "lead": shown(lead_words),
            "supporting": ", ".join(sorted(shown(words) for words in supporting_words)),
            "timeframe": action.timeframe,
            "delivered_through": action.delivered_through,
            "answers": action.answers,
            "performance_measures": action.performance_measures,
            "position": str(action.position),
            "steps": _steps_words(action.steps),
        }
        entry = {
            "row": action.row,
            "reference": action.reference,
            "description": action.description,
            "position": action.position,
            "lead": lead_of.get(lead_words),
            "supporting": [lead_of.get(words) for words in supporting_words],
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
            before = {
                "reference": now.reference,
                "description": now.description,
                "expected_outcome": now.expected_outcome,
                "lead": str(now.lead),
                "supporting": ", ".join(sorted(str(lead) for lead in now.supporting_leads.all())),
                "timeframe": now.timeframe.label,
                "delivered_through": now.delivered_through,
                "answers": now.answers,
                "performance_measures": now.performance_measures,
                "position": str(now.position),
                "steps": _steps_words(
                    [
                        (s.description, s.timeframe.label if s.timeframe else "")
                        for s in steps_now.get(now.pk, [])
                    ]
                ),
            }
            changes = [
                [label, before[key], after[key]]
                for key, label in ACTION_FIELDS
                if is_change(before[key], after[key])
            ]
            entry.update(action="change" if changes else "same", changes=changes, id=now.pk)
            _, left_out = match_steps(steps_now.get(now.pk, []), action.steps)
            kept_steps = [
                _step_kept(step, confirmed)
                for step in left_out
                if (confirmed := step_confirmations.get(step.pk))
            ]
            if kept_steps:
                entry["steps_kept"] = kept_steps
            if before["timeframe"] != after["timeframe"]:
                lapsing = _applying_confirmation(confirmations.get(now.pk, []), now)
                if lapsing is not None:
                    entry["confirmation_lapses"] = (
                        f"Its confirmed due date, {lapsing.confirmed_on:%-d %B %Y}, no longer "
                        f"applies: it was confirmed for the timeframe "
                        f"{quoted(lapsing.timeframe_label)}, and the timeframe changed."
                    )
        themes[action.theme]["actions"].append(entry)

    leaving = [
        action
        for action in actions_now.values()
        # A file changes the themes it names: a section's file leaves the rest alone.
        if action.pk not in matched and action.theme.name in themes
    ]
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
    preview["themes"] = list(themes.values())
    counts = dict.fromkeys(("add", "change", "same", "close", "remove"), 0)
    for theme in preview["themes"]:
        for entry in theme["actions"]:
            counts[entry["action"]] += 1
    preview["counts"] = counts
    preview["themes_left_alone"] = len(set(themes_now) - set(themes))
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
    return preview


def fingerprint(preview):
    """What the preview promised, to check the database hasn't moved before confirming."""
    return hashlib.sha256(json.dumps(preview, sort_keys=True, default=str).encode()).hexdigest()
