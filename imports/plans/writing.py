"""The confirmation: a previewed plan import written to the database."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
from cypeplan.history import change_to, newest_entries, record_many_to_many
from themes.models import Plan, Theme

from ..reading import FileProblems, quoted
from .matching import match_steps
from .proposal import read_date

# Positions out of the way while actions swap places (a theme's positions are unique).
PARKING = 32767
# Steps an import left out but kept (a person confirmed their date) sit after this position.
LEFT_OUT_STEPS = 10000


def plan_import_write(*, preview, user, file_name):
    """Write a previewed import. Call inside a transaction; returns the warnings left for a
    person (dates to be confirmed, leads created new)."""
    today = timezone.localdate()
    info = preview["plan"]
    plan = _write_plan(info)
    warnings = []
    new_leads = _write_new_leads(preview["new_leads"], warnings)
    labels, timeframes = _write_timeframes(preview)
    themes = _write_themes(preview["themes"], plan)
    existing = Action.objects.select_for_update().filter(theme__plan=plan).in_bulk()
    writes = _sort_entries(preview, plan, today, themes, existing, new_leads, timeframes)
    _write_actions(writes, plan, user=user, file_name=file_name)
    _write_supporting_leads(writes.supporting)
    _write_steps(writes.steps, timeframes, today)
    _close_actions(writes.to_close, user=user, today=today, file_name=file_name)
    # Only dates this import brought in are left for a person: one already in is not new.
    for item in preview["dates_to_confirm"]:
        if item["value"] in labels:
            warnings.append({"kind": "date_to_confirm", **item})
    return plan, warnings


def _write_plan(info):
    """The plan, added or with its dates changed as the preview says (locked for the rest
    of the import), checked as the database would check it."""
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
    return plan


def _write_new_leads(items, warnings):
    """{(name, initials): id} of the leads the preview adds, each with its warning."""
    new_leads = {}
    for item in items:
        lead = Lead.objects.create(name=item["name"], initials=item["initials"])
        new_leads[(item["name"], item["initials"])] = lead.pk
        warnings.append(
            {"kind": "new_lead", "lead": lead.pk, "shown": item["shown"], "rows": item["rows"]}
        )
    return new_leads


def _lead_pk(found, new_leads):
    return found[1] if found[0] == "lead" else new_leads[tuple(found[1])]


def _write_timeframes(preview):
    """The labels of the timeframes the added and changed actions and their steps name, and
    {label: timeframe} for them, adding those not yet in (an unreadable one to be confirmed)."""
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
    return labels, timeframes


def _write_themes(theme_previews, plan):
    """{name: theme} of the plan's themes, with those the preview adds or changes written."""
    themes = {theme.name: theme for theme in Theme.objects.filter(plan=plan)}
    for position, theme_preview in enumerate(theme_previews, start=1):
        name = theme_preview["name"]
        fields = theme_preview["fields"]
        theme = themes.get(name)
        if theme is None:
            themes[name] = Theme.objects.create(
                plan=plan, name=name, position=_theme_position(themes, position), **fields
            )
        elif theme_preview["action"] == "change" and change_to(theme, fields):
            theme.save()
    return themes


class ActionWrites:
    """What the import does to the plan's actions: the ids to delete and to close, (action,
    its final position) for each that moves, the actions to add and those changed, and each
    one's supporting leads and steps, by (index in `new`, "new") until it is added and by
    (id, "old") after."""

    def __init__(self):
        self.to_remove, self.to_close, self.moving, self.new, self.changed = [], [], [], [], []
        self.supporting = {}
        self.steps = {}


def _sort_entries(preview, plan, today, themes, existing, new_leads, timeframes):
    """Each action entry of the preview sorted into the writes it needs; `existing` holds the
    plan's actions by id."""
    writes = ActionWrites()
    for theme_preview in preview["themes"]:
        theme = themes[theme_preview["name"]]
        kept_after = max(
            (e["position"] for e in theme_preview["actions"] if "timeframe" in e), default=0
        )
        for entry in theme_preview["actions"]:
            if "timeframe" not in entry:
                if entry["action"] == "remove":
                    writes.to_remove.append(entry["id"])
                    continue
                kept_after += 1
                action = existing[entry["id"]]
                if entry["action"] == "close":
                    writes.to_close.append(entry["id"])
                if action.position != kept_after:
                    writes.moving.append((action, kept_after))
                continue
            if entry["action"] == "same":
                continue
            values = dict(
                theme=theme,
                reference=entry["reference"],
                description=entry["description"],
                lead_id=_lead_pk(entry["lead"], new_leads),
                timeframe=timeframes[entry["timeframe"]],
                **entry["fields"],
            )
            _sort_entry(
                writes,
                entry,
                values,
                info=preview["plan"],
                plan=plan,
                today=today,
                existing=existing,
                new_leads=new_leads,
            )
    return writes


def _sort_entry(writes, entry, values, *, info, plan, today, existing, new_leads):
    """An added or changed action entry, with `values` its fields, into `writes`."""
    if entry["action"] == "add":
        # Into a plan already loaded: added to it today (the plan's first import is
        # the plan as it began).
        added_on = None if info["action"] == "add" else added_on_for(plan, today)
        writes.new.append(Action(position=entry["position"], added_on=added_on, **values))
        writes.supporting[len(writes.new) - 1, "new"] = [
            _lead_pk(found, new_leads) for found in entry["supporting"]
        ]
        writes.steps[len(writes.new) - 1, "new"] = entry["steps"]
    elif entry["action"] == "change":
        action = existing[entry["id"]]
        change_to(action, values)
        writes.changed.append(action)
        if action.position != entry["position"]:
            writes.moving.append((action, entry["position"]))
        writes.supporting[action.pk, "old"] = [
            _lead_pk(found, new_leads) for found in entry["supporting"]
        ]
        writes.steps[action.pk, "old"] = entry["steps"]


def _write_actions(writes, plan, *, user, file_name):
    """Delete, move, add and change the actions as `writes` says, each addition and change
    with its history entry; the added ones' supporting leads and steps then go by their id."""
    to_remove, moving, new, changed = writes.to_remove, writes.moving, writes.new, writes.changed
    supporting, steps = writes.supporting, writes.steps
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


def _write_supporting_leads(supporting):
    """Each written action's supporting leads as the file has them, in its history too."""
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


def _close_actions(to_close, *, user, today, file_name):
    """A closing update for each action with progress that the file leaves out."""
    for action_id in to_close:
        ProgressUpdate.objects.create(
            action_id=action_id,
            reported_on=today,
            status=Status.CLOSED,
            entered_by=user,
            progress_as_written=f"No longer in the plan: left out of {file_name}"[:200],
        )


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
            elif change_to(
                step, {"position": position, "description": description, "timeframe": timeframe}
            ):
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
