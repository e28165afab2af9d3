"""A plan from a spreadsheet: read the rows into what they propose, compare that with the
database (the preview), and write it in one transaction (the confirmation).

Identity is stable: an action is the same action when it has the same plan, theme and
reference (or, where the plan gives no references, the same place in its theme), so the
same file imported twice changes nothing and an edited file changes exactly what was edited.
An action with progress is never deleted: left out of the file, it is closed.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions import hooks
from actions.models import (
    Action,
    DateConfirmation,
    Lead,
    ProgressUpdate,
    Status,
    SubStep,
    Timeframe,
)
from actions.models.action import added_on_for
from actions.models.rules import NEWEST_FIRST
from actions.timeframes import TimeframeError, parse_timeframe, why_not_a_date
from cypeplan.history import newest_entries, record_many_to_many
from themes.models import Plan, Theme
from themes.periods import in_range

from .layout import PLAN_COLUMNS
from .reading import FileProblems, quoted

HEADERS = {column.key: column.header for column in PLAN_COLUMNS}

# The longest text each field holds (the models' max_length).
LIMITS = {
    "plan": 200,
    "theme": 300,
    "theme_reference": 20,
    "reference": 20,
    "answers": 300,
    "timeframe": 200,
    "sub_step_timeframe": 200,
}
INITIALS = re.compile(r"^[A-Z]{2,4}$")
NAMED = re.compile(r"^(?P<name>.+?)\s*\((?P<initials>[A-Z]{2,4})\)$")
# Positions out of the way while actions swap places (a theme's positions are unique).
PARKING = 32767
# Steps an import left out but kept (a person confirmed their date) sit after this position.
LEFT_OUT_STEPS = 10000
# What a plan's short name may hold: it is the plan's part of its web addresses.
WEB_ADDRESS = re.compile(r"[-a-zA-Z0-9_]+")
# How alike (difflib's ratio, 0 to 1) a row's words and an action's must be for the row to
# be that action reworded: "tracked and appropriately evidenced" → "tracked, evidenced and
# reported to DLT" is 0.77; two different actions opening "Ensure … inspection" are 0.35.
NEARLY_THE_SAME = 0.6

ACTION_FIELDS = [
    ("reference", "Reference"),
    ("description", "Action"),
    ("expected_outcome", "Expected outcome"),
    ("lead", "Lead"),
    ("supporting", "Supporting"),
    ("timeframe", "Timeframe"),
    ("delivered_through", "Delivered through"),
    ("answers", "Answers"),
    ("performance_measures", "Performance measures"),
    ("position", "Place in theme"),
    ("steps", "Sub-steps"),
]
THEME_FIELDS = [
    ("reference", "Reference"),
    ("description", "Description"),
    ("performance_measures", "Performance measures"),
    ("position", "Place in plan"),
]


def lead_names(cell):
    """The people a Lead(s) cell names, accountable first: "PB, MW", "RM, with CD",
    "SH KC", "JM and SC", "ST/SH", "Iain Low (IL)"."""
    text = re.sub(r"\b(?:and|with)\b|[,;/&+]", ",", cell)
    names = []
    for part in text.split(","):
        part = " ".join(part.split())
        if not part:
            continue
        words = part.split()
        if len(words) > 1 and all(INITIALS.match(word) for word in words):
            names.extend(words)
        else:
            names.append(part)
    return names


def lead_key(words):
    """(name, initials) for a lead as a file names them."""
    named = NAMED.match(words)
    if named:
        return named["name"], named["initials"]
    if INITIALS.match(words):
        return "", words
    return words, ""


def read_date(text):
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"):
        try:
            return timezone.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class LeadIndex:
    """Every lead, found by name or initials, to match the people a file names."""

    def __init__(self):
        self.leads = {lead.pk: lead for lead in Lead.objects.all()}
        self.by_name, self.by_initials = {}, {}
        for lead in self.leads.values():
            if lead.name:
                self.by_name.setdefault(lead.name.casefold(), []).append(lead)
            if lead.initials:
                self.by_initials.setdefault(lead.initials, []).append(lead)

    def find(self, words):
        """(lead, candidates): the one lead meant, or None and every lead it might be."""
        name, initials = lead_key(words)
        if name and initials:
            exact = [
                lead
                for lead in self.by_name.get(name.casefold(), [])
                if lead.initials in {initials, ""}
            ]
            return (exact[0], exact) if len(exact) == 1 else (None, exact)
        found = (
            self.by_name.get(name.casefold(), []) if name else self.by_initials.get(initials, [])
        )
        return (found[0], found) if len(found) == 1 else (None, found)


@dataclass
class ProposedAction:
    row: int
    theme: str
    reference: str
    description: str
    expected_outcome: str
    leads: list
    timeframe: str
    delivered_through: str
    answers: str
    performance_measures: str
    steps: list = field(default_factory=list)
    step_rows: list = field(default_factory=list)
    position: int = 0

    def key(self):
        return (self.theme, self.reference or f"#{self.position}")


@dataclass
class Proposal:
    plan_name: str = ""
    plan_row: int = 0
    plan_starts: date | None = None
    plan_ends: date | None = None
    # Where each plan date came from: {"plan_ends": (row, the cell as written)}.
    plan_cells: dict = field(default_factory=dict)
    themes: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)


def _error(row, key, value, message):
    return f"Row {row}, {HEADERS[key]}: {quoted(value) if value else 'empty'}: {message}"


def propose(rows):
    """What the rows ask for, and every error in them, naming row, column and value."""
    proposal = Proposal()
    errors = proposal.errors
    current = None
    positions = {}
    references = {}
    for number, cells in rows:
        for key, limit in LIMITS.items():
            if len(cells.get(key, "")) > limit:
                # In the web form's words (cypeplan.forms.WrittenText), as updates say it.
                errors.append(
                    _error(
                        number,
                        key,
                        cells[key],
                        f"“{HEADERS[key]}” must be {limit:,} characters or fewer: it has "
                        f"{len(cells[key]):,}. Shorten it.",
                    )
                )
        if cells["plan"]:
            if not proposal.plan_name:
                proposal.plan_name, proposal.plan_row = cells["plan"], number
            elif cells["plan"] != proposal.plan_name:
                errors.append(
                    _error(
                        number,
                        "plan",
                        cells["plan"],
                        f"every row must be for one plan, and row "
                        f"{proposal.plan_row} says {quoted(proposal.plan_name)}.",
                    )
                )
        for key in ("plan_starts", "plan_ends"):
            if cells[key]:
                when = read_date(cells[key])
                # The pages work out days around the plan's dates: they must be real ones.
                outside = in_range(when, date_format(when, "j F Y"))[1] if when else ""
                if when is None:
                    errors.append(
                        _error(
                            number,
                            key,
                            cells[key],
                            why_not_a_date(cells[key], "01/04/2022"),
                        )
                    )
                elif getattr(proposal, key) is None:
                    if outside:
                        errors.append(_error(number, key, cells[key], outside))
                    setattr(proposal, key, when)
                    proposal.plan_cells[key] = (number, cells[key])
                elif when != getattr(proposal, key):
                    first_row, first_written = proposal.plan_cells[key]
                    errors.append(
                        _error(
                            number,
                            key,
                            cells[key],
                            f"every row must give the plan the same date it "
                            f"{key.removeprefix('plan_')}, and row {first_row} says "
                            f"{quoted(first_written)}.",
                        )
                    )
        if not cells["action"]:
            if not cells["sub_step"]:
                if any(cells[key] for key in ("leads", "timeframe", "expected_outcome")):
                    errors.append(
                        _error(
                            number,
                            "action",
                            "",
                            "the row has no action. Write the action, or leave the row empty.",
                        )
                    )
                continue
            if current is None:
                errors.append(
                    _error(
                        number,
                        "sub_step",
                        cells["sub_step"],
                        "a sub-step needs its action on a row above it.",
                    )
                )
                continue
            if cells["reference"] and cells["reference"] != current.reference:
                errors.append(
                    _error(
                        number,
                        "reference",
                        cells["reference"],
                        f"this sub-step is under action {quoted(current.reference)}; leave "
                        "the reference empty or make it the same.",
                    )
                )
            _step(current, number, cells, proposal)
            continue
        if not cells["theme"]:
            errors.append(_error(number, "theme", "", "every action needs its theme."))
            continue
        theme = proposal.themes.setdefault(
            cells["theme"],
            {
                "row": number,
                "reference": cells["theme_reference"],
                "description": cells["theme_description"],
                "performance_measures": cells["theme_measures"],
                "position": len(proposal.themes) + 1,
            },
        )
        for key, name in [
            ("theme_reference", "reference"),
            ("theme_description", "description"),
            ("theme_measures", "performance_measures"),
        ]:
            if cells[key] and not theme[name]:
                theme[name] = cells[key]
        positions[cells["theme"]] = positions.get(cells["theme"], 0) + 1
        current = ProposedAction(
            row=number,
            theme=cells["theme"],
            reference=cells["reference"],
            description=cells["action"],
            expected_outcome=cells["expected_outcome"],
            leads=lead_names(cells["leads"]),
            timeframe=" ".join(cells["timeframe"].split()),
            delivered_through=cells["delivered_through"],
            answers=cells["answers"],
            performance_measures=cells["performance_measures"],
            position=positions[cells["theme"]],
        )
        if cells["reference"]:
            earlier = references.setdefault((cells["theme"], cells["reference"]), number)
            if earlier != number:
                errors.append(
                    _error(
                        number,
                        "reference",
                        cells["reference"],
                        f"row {earlier} has the same reference in the same theme.",
                    )
                )
        if not current.leads:
            errors.append(_error(number, "leads", "", "every action needs at least one lead."))
        if not current.timeframe:
            errors.append(
                _error(
                    number,
                    "timeframe",
                    "",
                    "every action needs a timeframe, such as “March 2023” or “Ongoing”.",
                )
            )
        else:
            _check_timeframe(proposal, number, "timeframe", current.timeframe)
        proposal.actions.append(current)
        if cells["sub_step"]:
            _step(current, number, cells, proposal)
        elif cells["sub_step_timeframe"]:
            errors.append(
                _error(
                    number,
                    "sub_step_timeframe",
                    cells["sub_step_timeframe"],
                    "a sub-step timeframe needs its sub-step.",
                )
            )
    if not proposal.plan_name and not errors:
        errors.append(f"Row {rows[0][0]}, {HEADERS['plan']}: empty: name the plan.")
    return proposal


def _backwards_errors(proposal, plan):
    """A plan must end after it starts: the file's dates, or the file's beside the plan's."""
    starts = proposal.plan_starts or (plan.starts_on if plan else None)
    ends = proposal.plan_ends or (plan.ends_on if plan else None)
    if starts is None or ends is None or ends > starts:
        return []
    if "plan_ends" in proposal.plan_cells:
        key, other, verb = "plan_ends", "plan_starts", "starts"
    else:
        key, other, verb = "plan_starts", "plan_ends", "ends"
    row, written = proposal.plan_cells[key]
    if other in proposal.plan_cells:
        other_row, other_written = proposal.plan_cells[other]
        beside = f"row {other_row}’s {HEADERS[other]} is {quoted(other_written)}"
    else:
        beside = f"in cypeplan it {verb} on {_day(starts if verb == 'starts' else ends)}"
    return [_error(row, key, written, f"a plan must end after the day it starts, and {beside}.")]


def _web_address_errors(proposal, plan_slug, slug):
    """Why a new plan can't have this short name, which its web addresses are made of: a
    name with no letter A to Z or digit ("計画") makes none."""
    if WEB_ADDRESS.fullmatch(slug):
        return []
    if plan_slug:
        return [
            f"The plan’s short name {quoted(plan_slug)} can hold only letters a to z, digits "
            "and hyphens: it is the plan’s part of its web addresses."
        ]
    if not proposal.plan_name:
        return []  # "name the plan" says it
    return [
        f"Row {proposal.plan_row}, {HEADERS['plan']}: {quoted(proposal.plan_name)}: a new "
        "plan’s name needs a letter from A to Z or a digit in it, to make its web address "
        "(“CYPE Directorate Plan 2022-24” makes “cype-directorate-plan-2022-24”). Add one "
        "to the name, such as the years it runs."
    ]


def _step(action, number, cells, proposal):
    label = " ".join(cells["sub_step_timeframe"].split())
    action.steps.append((cells["sub_step"], label))
    action.step_rows.append(number)
    if label:
        _check_timeframe(proposal, number, "sub_step_timeframe", label)


def _check_timeframe(proposal, number, key, label):
    try:
        parse_timeframe(label)
    except TimeframeError as error:
        proposal.unreadable.append(
            {
                "row": number,
                "column": HEADERS[key],
                "value": label,
                "message": " ".join(error.messages),
            }
        )


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
                if before != after:
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
                if before[key] != after[key]
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


def match_steps(now, wanted):
    """Which of an action's steps now (`now`, in order) each step in the file is (`wanted`:
    [(description, timeframe words)], in order): the one with the same words, else the
    next one left, in order, so a reworded step stays itself and the step left out is
    the one whose words are gone. Returns ([(position, step or None for a new one,
    description, timeframe words)], the steps now that the file leaves out)."""
    chosen, taken = [None] * len(wanted), set()
    for index, (description, _) in enumerate(wanted):
        for step in now:
            if step.pk not in taken and step.description == description:
                chosen[index] = step
                taken.add(step.pk)
                break
    rest = [step for step in now if step.pk not in taken]
    for index in range(len(wanted)):
        if chosen[index] is None and rest:
            chosen[index] = rest.pop(0)
    pairs = [
        (position, step, description, label)
        for position, (step, (description, label)) in enumerate(
            zip(chosen, wanted, strict=True), start=1
        )
    ]
    return pairs, rest


def _step_kept(step, confirmation):
    person = confirmation.entered_by
    return (
        f"Its sub-step {quoted(step.description[:100])} is not in the file: it is kept, "
        "marked as no longer in the plan, rather than deleted, as its date was confirmed "
        f"({confirmation.confirmed_on:%-d %B %Y}, confirmed by "
        f"{person.get_full_name() or person.username} on "
        f"{timezone.localtime(confirmation.entered_at):%-d %B %Y})."
    )


def _applying_confirmation(confirmations, action):
    """The confirmation that gives `action` its date now (newest first, for its timeframe's
    words), or None."""
    if not action.timeframe.to_be_confirmed:
        return None
    return next((each for each in confirmations if each.gives_date_to(action)), None)


def _match_reworded(rows, actions_now, matches, taken, *, has_history):
    """Pair the rows without a reference that match no action's words with the action left
    in their theme whose words are nearly theirs: the most alike first, then one with
    progress (whose history it keeps) before one without, then the nearer in place. So a
    reworded action stays itself though the action above it was deleted in the same file."""
    left = {}
    for action in actions_now.values():
        if not action.reference and action.pk not in taken:
            left.setdefault(action.theme.name, []).append(action)
    pairs = []
    for index, row in enumerate(rows):
        if row.reference or index in matches:
            continue
        words = _comparable(row.description)
        for candidate in left.get(row.theme, []):
            matcher = SequenceMatcher(None, words, _comparable(candidate.description))
            if matcher.real_quick_ratio() < NEARLY_THE_SAME:
                continue
            if matcher.quick_ratio() < NEARLY_THE_SAME:
                continue
            alike = matcher.ratio()
            if alike >= NEARLY_THE_SAME:
                pairs.append(
                    (
                        -alike,
                        candidate.pk not in has_history,
                        abs(candidate.position - row.position),
                        index,
                        candidate.pk,
                    )
                )
    chosen = {action.pk: action for actions in left.values() for action in actions}
    for *_, index, pk in sorted(pairs):
        if index not in matches and pk not in taken:
            matches[index] = chosen[pk]
            taken.add(pk)


def _comparable(words):
    return " ".join(words.casefold().split())


def _new_dates_to_confirm(proposal, matches, steps_now):
    """The dates to confirm this import would bring in. One the plan already has, on the
    same action (or sub-step, as match_steps pairs them) with the same words, is not new:
    importing the plan's own file again asks nothing."""
    already = set()
    for index, action in enumerate(proposal.actions):
        now = matches.get(index)
        if now is None:
            continue
        if now.timeframe.label == action.timeframe:
            already.add((action.row, HEADERS["timeframe"]))
        pairs, _ = match_steps(steps_now.get(now.pk, []), action.steps)
        for (_, step, _, label), row in zip(pairs, action.step_rows, strict=False):
            if step and step.timeframe and step.timeframe.label == label:
                already.add((row, HEADERS["sub_step_timeframe"]))
    return [item for item in proposal.unreadable if (item["row"], item["column"]) not in already]


def unreadable_errors(preview):
    """The dates to confirm as errors, for when a person hasn't chosen to bring them in:
    "Row 14, Timeframe as written: “31/09/21” is not a real date: September 2021 has 30
    days." """
    return [
        f"Row {item['row']}, {item['column']}: {quoted(item['value'])}"
        + _without_label(item["message"], item["value"])
        for item in preview["dates_to_confirm"]
    ]


def _without_label(message, label):
    """The parser's message after its opening "Timeframe “label”", which the row, column
    and value already say: " is not a real date: …" or ": could not read it as a date."
    """
    opening = f"Timeframe “{label}”"
    return message[len(opening) :] if message.startswith(opening) else f": {message}"


def _steps_words(steps):
    return "\n".join(
        f"{description}" + (f" ({label})" if label else "") for description, label in steps
    )


def _day(when):
    return when.strftime("%d/%m/%Y") if when else ""


def fingerprint(preview):
    """What the preview promised, to check the database hasn't moved before confirming."""
    return hashlib.sha256(json.dumps(preview, sort_keys=True, default=str).encode()).hexdigest()


def plan_import_write(*, preview, user, file_name):
    """Write a previewed import. Call inside a transaction; returns the warnings left for a
    person (dates to be confirmed, leads created new)."""
    today = timezone.localdate()
    info = preview["plan"]
    if info["action"] == "add":
        plan = Plan(
            name=info["name"],
            slug=info["slug"],
            starts_on=read_date(info["starts"]),
            ends_on=read_date(info["ends"]),
        )
    else:
        plan = Plan.objects.select_for_update().get(slug=info["slug"])
        for label, _, after in info["changes"]:
            setattr(plan, "starts_on" if label == "Starts" else "ends_on", read_date(after))
    if info["action"] == "add" or info["changes"]:
        # The preview checks these; this keeps a plan the database would refuse from
        # getting as far as it (a 500), whatever the preview missed.
        try:
            plan.full_clean()
        except ValidationError as error:
            raise FileProblems(
                [f"The plan {quoted(info['name'])}: {message}" for message in error.messages]
            ) from error
        plan.save()

    warnings = []
    new_leads = {}
    for item in preview["new_leads"]:
        lead = Lead.objects.create(name=item["name"], initials=item["initials"])
        new_leads[(item["name"], item["initials"])] = lead.pk
        warnings.append(
            {"kind": "new_lead", "lead": lead.pk, "shown": item["shown"], "rows": item["rows"]}
        )

    def lead_pk(found):
        return found[1] if found[0] == "lead" else new_leads[tuple(found[1])]

    unreadable = {item["value"]: item for item in preview["dates_to_confirm"]}
    labels = set()
    for theme in preview["themes"]:
        for entry in theme["actions"]:
            if "timeframe" in entry and entry["action"] in ("add", "change"):
                labels.add(entry["timeframe"])
                labels.update(label for _, label in entry["steps"] if label)
    timeframes = {
        timeframe.label: timeframe for timeframe in Timeframe.objects.filter(label__in=labels)
    }
    for label in sorted(labels - set(timeframes)):
        timeframe = Timeframe(label=label, to_be_confirmed=label in unreadable)
        timeframe.save()
        timeframes[label] = timeframe

    themes = {theme.name: theme for theme in Theme.objects.filter(plan=plan)}
    for position, theme_preview in enumerate(preview["themes"], start=1):
        name = theme_preview["name"]
        fields = theme_preview["fields"]
        theme = themes.get(name)
        if theme is None:
            themes[name] = Theme.objects.create(
                plan=plan, name=name, position=_theme_position(themes, position), **fields
            )
        elif theme_preview["action"] == "change":
            for attribute, value in fields.items():
                setattr(theme, attribute, value)
            theme.save()

    existing = Action.objects.select_for_update().filter(theme__plan=plan).in_bulk()
    to_remove, to_close, moving, new, changed = [], [], [], [], []
    supporting = {}
    steps = {}
    for theme_preview in preview["themes"]:
        theme = themes[theme_preview["name"]]
        kept_after = max(
            (e["position"] for e in theme_preview["actions"] if "timeframe" in e), default=0
        )
        for entry in theme_preview["actions"]:
            if "timeframe" not in entry:
                if entry["action"] == "remove":
                    to_remove.append(entry["id"])
                    continue
                kept_after += 1
                action = existing[entry["id"]]
                if entry["action"] == "close":
                    to_close.append(entry["id"])
                if action.position != kept_after:
                    moving.append((action, kept_after))
                continue
            if entry["action"] == "same":
                continue
            values = dict(
                theme=theme,
                reference=entry["reference"],
                description=entry["description"],
                lead_id=lead_pk(entry["lead"]),
                timeframe=timeframes[entry["timeframe"]],
                **entry["fields"],
            )
            if entry["action"] == "add":
                # Into a plan already loaded: added to it today (the plan's first import is
                # the plan as it began).
                added_on = None if info["action"] == "add" else added_on_for(plan, today)
                new.append(Action(position=entry["position"], added_on=added_on, **values))
                supporting[len(new) - 1, "new"] = [lead_pk(found) for found in entry["supporting"]]
                steps[len(new) - 1, "new"] = entry["steps"]
            elif entry["action"] == "change":
                action = existing[entry["id"]]
                for attribute, value in values.items():
                    setattr(action, attribute, value)
                changed.append(action)
                if action.position != entry["position"]:
                    moving.append((action, entry["position"]))
                supporting[action.pk, "old"] = [lead_pk(found) for found in entry["supporting"]]
                steps[action.pk, "old"] = entry["steps"]

    if to_remove:
        Action.objects.filter(pk__in=to_remove).delete()
    if moving:
        for offset, (action, _) in enumerate(moving):
            action.position = PARKING - offset
        Action.objects.bulk_update([action for action, _ in moving], ["position"], batch_size=500)
        for action, final in moving:
            action.position = final
    if new:
        created = bulk_create_with_history(
            new,
            Action,
            batch_size=500,
            default_user=user,
            default_change_reason=f"Imported from {file_name}",
        )
        if created and created[0].pk is None:
            created = list(Action.objects.filter(theme__plan=plan).order_by("-pk")[: len(new)])[
                ::-1
            ]
        for index, action in enumerate(created):
            supporting[action.pk, "old"] = supporting.pop((index, "new"))
            steps[action.pk, "old"] = steps.pop((index, "new"))
    update_fields = [
        "theme",
        "reference",
        "description",
        "expected_outcome",
        "lead",
        "timeframe",
        "delivered_through",
        "answers",
        "performance_measures",
        "position",
    ]
    to_update = {action.pk: action for action in changed}
    to_update.update({action.pk: action for action, _ in moving})
    if to_update:
        bulk_update_with_history(
            list(to_update.values()),
            Action,
            update_fields,
            batch_size=500,
            default_user=user,
            default_change_reason=f"Imported from {file_name}",
        )

    through = Action.supporting_leads.through
    action_ids = [pk for pk, _ in supporting]
    through.objects.filter(action_id__in=action_ids).delete()
    through.objects.bulk_create(
        [
            through(action_id=pk, lead_id=lead)
            for (pk, _), leads in supporting.items()
            for lead in dict.fromkeys(leads)
        ],
        batch_size=1000,
    )
    # The entries just written for these actions keep their supporting leads, as an edit in
    # the admin does: the History page shows an import's change to them, and pages as at an
    # earlier date can read what they were.
    written = newest_entries(Action.history, [pk for pk, _ in supporting])
    record_many_to_many(Action.history, written)

    _write_steps(steps, timeframes, today)

    for action_id in to_close:
        ProgressUpdate.objects.create(
            action_id=action_id,
            reported_on=today,
            status=Status.CLOSED,
            entered_by=user,
            progress_as_written=f"No longer in the plan: left out of {file_name}"[:200],
        )
    # Only dates this import brought in are left for a person: one already in is not new.
    for item in preview["dates_to_confirm"]:
        if item["value"] in labels:
            warnings.append({"kind": "date_to_confirm", **item})
    return plan, warnings


def _theme_position(themes, position):
    taken = {theme.position for theme in themes.values()}
    while position in taken:
        position += 1
    return position


def _write_steps(steps, timeframes, today):
    """Each changed action's steps as the file has them (match_steps says which is which).
    A step left out is deleted, unless a person confirmed its date: then it is kept, marked
    as no longer in the plan, and moved after the plan's steps (from LEFT_OUT_STEPS)."""
    action_ids = [pk for pk, _ in steps]
    confirmed = set(
        DateConfirmation.objects.filter(action_id__in=action_ids).values_list(
            "sub_step_id", flat=True
        )
    )
    now, last_left = {}, {}
    for step in SubStep.objects.filter(action_id__in=action_ids).order_by("position"):
        if step.left_plan_on is None:
            now.setdefault(step.action_id, []).append(step)
        else:
            last_left[step.action_id] = max(last_left.get(step.action_id, 0), step.position)
    create, changed, leaving, remove = [], [], [], []
    for (pk, _), wanted in steps.items():
        pairs, left_out = match_steps(now.get(pk, []), wanted)
        for position, step, description, label in pairs:
            timeframe = timeframes.get(label) if label else None
            if step is None:
                create.append(
                    SubStep(
                        action_id=pk,
                        position=position,
                        description=description,
                        timeframe=timeframe,
                    )
                )
            elif (step.position, step.description, step.timeframe_id) != (
                position,
                description,
                timeframe.pk if timeframe else None,
            ):
                step.position, step.description, step.timeframe = position, description, timeframe
                changed.append(step)
        for step in left_out:
            if step.pk in confirmed:
                last_left[pk] = max(last_left.get(pk, 0), LEFT_OUT_STEPS) + 1
                step.position, step.left_plan_on = last_left[pk], today
                leaving.append(step)
            else:
                remove.append(step.pk)
    if remove:
        SubStep.objects.filter(pk__in=remove).delete()
    moving = leaving + changed
    if moving:
        # Out of each other's way first: an action's steps each have their own position.
        finals = [step.position for step in moving]
        for offset, step in enumerate(moving):
            step.position = PARKING - offset
        SubStep.objects.bulk_update(moving, ["position"], batch_size=500)
        for step, final in zip(moving, finals, strict=True):
            step.position = final
    if leaving:
        bulk_update_with_history(leaving, SubStep, ["position", "left_plan_on"], batch_size=500)
    if changed:
        bulk_update_with_history(
            changed, SubStep, ["position", "description", "timeframe"], batch_size=500
        )
    if create:
        bulk_create_with_history(create, SubStep, batch_size=500)
