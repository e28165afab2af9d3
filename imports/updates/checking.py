"""The filled rows back: each checked by the update rules, and what the check page shows."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Status, rag_words
from cypeplan.inputs import one_line_break_each, plain_number

from ..plans import read_date, why_not_a_date
from ..reading import quoted
from .workbook import FIELD_COLUMNS, HEADERS, RAGS, STATUSES, _newest_entered, _when


def newest_update_number(preview):
    """The number of the newest update entered on any action of these preview rows (0 if
    none): a check page shows it, and recording refuses if one was entered after it."""
    ids = {row["action_id"] for row in preview.get("updates", [])}
    return max(_newest_entered(ids).values(), default=0) if ids else 0


def preview_as_now(record, *, today):
    """The upload's preview worked out again, so the updates entered on its actions since
    the download include any entered since the upload; None if its rows now break a rule
    (recording will say which)."""
    proposed, errors = propose_updates(record.rows, user=record.uploaded_by, today=today)
    return None if errors else preview_of_updates(proposed, today=today)


def preview_of_updates(proposed, *, today):
    """What the check page shows of the proposed updates, JSON-able, with the day a row
    without a date reports on (`today` when it was worked out): recording uses that day,
    so an update checked before midnight is recorded as it was shown, not the day after."""
    return {"updates": preview_rows(proposed), "undated_report_on": today.isoformat()}


def undated_report_on(preview):
    """The day the check page showed for rows without a date (preview_of_updates); None for a
    preview worked out before it said."""
    try:
        return date.fromisoformat(preview.get("undated_report_on", ""))
    except ValueError:
        return None


def _filled(cells):
    return any(cells.get(key) for key in FIELD_COLUMNS if key != "reported_on")


def propose_updates(rows, *, user, today):
    """(proposed updates, errors): one unsaved, checked ProgressUpdate per filled row, and
    every problem named by row, column and value."""
    errors, proposed = [], []
    filled = [(number, cells) for number, cells in rows if _filled(cells)]
    if not filled:
        return [], ["No row has an update filled in: fill in at least a Status."]
    ids = {}
    for number, cells in filled:
        raw = cells["action_id"]
        if plain_number(raw) is None:
            errors.append(
                f"Row {number}, {HEADERS['action_id']}: {quoted(raw) if raw else 'empty'}: "
                "is not an action number from cypeplan. Download the file again."
            )
        else:
            ids[number] = plain_number(raw)
    actions = Action.objects.select_related("theme__plan", "timeframe").in_bulk(set(ids.values()))
    allowed = set(
        Action.objects.updatable_by(user).filter(pk__in=ids.values()).values_list("pk", flat=True)
    )
    newest = _newest_entered(allowed)
    # Rows whose action had an update entered after the file was downloaded.
    since = {}
    seen = {}
    for number, cells in filled:
        if number not in ids:
            continue
        action = actions.get(ids[number])
        if action is None:
            errors.append(
                f"Row {number}, {HEADERS['action_id']}: {quoted(cells['action_id'])}: no "
                "action has this number."
            )
            continue
        name = _name(action)
        if action.pk not in allowed:
            errors.append(
                f"Row {number}: you may not record progress on {name}: you don’t lead, "
                "support or deputise for it."
            )
            continue
        if action.pk in seen:
            errors.append(
                f"Row {number}: {name} is also on row {seen[action.pk]}: one update per "
                "action per file."
            )
            continue
        seen[action.pk] = number
        seen_up_to = plain_number(cells.get("seen_up_to", ""))
        if seen_up_to is None:
            errors.append(
                f"Row {number} ({name}), {HEADERS['seen_up_to']}: "
                f"{quoted(cells['seen_up_to']) if cells.get('seen_up_to') else 'empty'}: is not "
                "the number cypeplan wrote there. Download the file again."
            )
            continue
        if newest.get(action.pk, 0) > seen_up_to:
            since[number] = (action.pk, seen_up_to)
        values, problems = _values(number, cells, today)
        errors.extend(problems)
        if problems:
            continue
        update = ProgressUpdate(action=action, entered_by=user, **values)
        try:
            update.full_clean()
        except ValidationError as error:
            for field, problems in error.error_dict.items():
                column = HEADERS.get(field, field.replace("_", " "))
                value = cells.get(field, "")
                for problem in problems:
                    said = (
                        _too_long(column, value, problem)
                        if problem.code == "max_length"
                        else f"{quoted(value) if value else 'empty'}: {' '.join(problem.messages)}"
                    )
                    errors.append(f"Row {number} ({name}), {column}: {said}")
            continue
        proposed.append((number, update))
    errors.extend(_compare_with_updates_since(proposed, since))
    return proposed, errors


def _compare_with_updates_since(proposed, since):
    """For each proposed row whose action had updates entered after the file was downloaded
    (`since`: {row number: (action id, the file's Updates seen up to)}): a problem if one of
    them is this very update (the file, or this row, uploaded before); otherwise the row
    carries them (update.entered_since) for the preview to show before anything is recorded.
    One query, if any."""
    if not since:
        return []
    wanted = Q()
    for action_id, seen_up_to in since.values():
        wanted |= Q(action_id=action_id, pk__gt=seen_up_to)
    later = {}
    for update in ProgressUpdate.objects.filter(wanted).select_related("entered_by"):
        later.setdefault(update.action_id, []).append(update)
    problems = []
    for number, update in proposed:
        if number not in since:
            continue
        action_id, seen_up_to = since[number]
        newer = [each for each in later.get(action_id, []) if each.pk > seen_up_to]
        same = [each for each in newer if _same_update(each, update)]
        if same:
            problems.append(
                f"Row {number}: this update on {_name(update.action)} is already recorded "
                f"({_entered(same[-1])}). Leave the row empty, or download the file again "
                "to fill in only what is new."
            )
        update.entered_since = [
            f"{_entered(each)}: {each.get_status_display()}"
            f"{', ' + rag_words(each.status, each.rag) if each.rag else ''}, reporting on "
            f"{each.reported_on:%-d %B %Y}"
            for each in sorted(newer, key=lambda each: each.pk)
        ]
    return problems


def _too_long(column, value, problem):
    """The house words for a cell longer than its field takes, as the web form says it
    (cypeplan.forms.WrittenText): the column, its limit and the count."""
    limit = problem.params["limit_value"]
    return (
        f"{quoted(value)}: “{column}” must be {limit:,} characters or fewer: it has "
        f"{len(value):,}. Shorten it."
    )


def _name(action):
    return (
        f"action {action.reference} “{action.description[:60]}”"
        if action.reference
        else f"“{action.description[:60]}”"
    )


def _same_update(recorded, proposed):
    return all(getattr(recorded, field) == getattr(proposed, field) for field in FIELD_COLUMNS)


def _entered(update):
    who = (
        (update.entered_by.get_full_name() or update.entered_by.username)
        if update.entered_by
        else "the published plan"
    )
    return f"entered by {who} on {timezone.localtime(update.entered_at):%-d %B %Y at %H:%M}"


def _values(number, cells, today):
    problems = []
    # Line breaks as the update form stores them; a plan's cells stay exactly as read, to be
    # compared with what is stored.
    values = {
        key: one_line_break_each(cells.get(key, ""))
        for key in (
            "working_well",
            "worried_about",
            "evidence",
            "evidence_links",
            "rag_change_reason",
            "revised_due_reason",
        )
    }
    status = STATUSES.get(cells["status"].strip().casefold())
    if status is None:
        problems.append(
            f"Row {number}, {HEADERS['status']}: "
            f"{quoted(cells['status']) if cells['status'] else 'empty'}: choose one of "
            + ", ".join(label for _, label in Status.choices)
            + "."
        )
    rag = ""
    if cells["rag"].strip():
        rag = RAGS.get(cells["rag"].strip().casefold())
        if rag is None:
            problems.append(
                f"Row {number}, {HEADERS['rag']}: {quoted(cells['rag'])}: write Red, Amber "
                "or Green."
            )
    for key in ("reported_on", "revised_due_on"):
        text = cells.get(key, "").strip()
        when = read_date(text) if text else (today if key == "reported_on" else None)
        if text and when is None:
            problems.append(
                f"Row {number}, {HEADERS[key]}: {quoted(text)}: "
                + why_not_a_date(text, "30/09/2024")
            )
        values[key] = when
    values.update(status=status, rag=rag or "")
    return values, problems


def preview_rows(proposed):
    """What the preview shows of each update, JSON-able."""
    return [
        {
            "row": number,
            "action_id": update.action_id,
            "reference": update.action.reference,
            "description": update.action.description,
            "reported_on": update.reported_on.strftime("%d/%m/%Y"),
            "status": update.get_status_display(),
            "rag": update.get_rag_display() if update.rag else "",
            "revised_due_on": _when(update.revised_due_on),
            # Updates entered on the action after the file was downloaded.
            "entered_since": getattr(update, "entered_since", []),
        }
        for number, update in proposed
    ]
