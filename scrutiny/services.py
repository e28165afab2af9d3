"""Every write to scrutiny's records, each one function in one transaction, called by the
views, the admin, the tests and the fixture loader alike."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from cypeplan.history import as_stored
from cypeplan.inputs import has_words

from .models import (
    CLOSED,
    STATE_AFTER,
    Change,
    Item,
    Meeting,
    Response,
    State,
    StateChange,
)

# What a scrutiny officer records for the committee.
DECISIONS = (Change.ACCEPTED, Change.NOT_ACCEPTED, Change.WITHDRAWN)


def _day(value):
    return date_format(value, "j F Y")


def _locked(item):
    return Item.objects.select_for_update().select_related("meeting").get(pk=item.pk)


def _refuse_if_closed(item, latest):
    if latest is not None and latest.state in CLOSED:
        raise ValidationError(
            f"This item was {State(latest.state).label.lower()} on {_day(latest.on)}: "
            "nothing more can be recorded on it."
        )


def _refuse_if_not_yet_raised(item):
    # A meeting recorded before dates after today were refused may still be dated so.
    today = timezone.localdate()
    if item.meeting.held_on > today:
        raise ValidationError(
            f"This item was raised at the meeting of {_day(item.meeting.held_on)}, a date in "
            f"the future (today is {_day(today)}): nothing can be recorded on it before that "
            "date. If the meeting was put off, or its date is wrong, a scrutiny officer can "
            "change the meeting’s date in the admin, and its items move with it."
        )


def _check_date(on, latest, field):
    today = timezone.localdate()
    if on > today:
        raise ValidationError({field: f"The date can’t be in the future: today is {_day(today)}."})
    if latest is not None and on < latest.on:
        raise ValidationError(
            {
                field: "The date can’t be before the item’s last step "
                f"({latest.get_change_display().lower()} on {_day(latest.on)}): its history "
                "is only ever added to."
            }
        )


def meeting_change(*, meeting):
    """Save a change to a recorded meeting. If its date moves (Meeting.clean says when it
    may: a meeting with items only while not yet held), each of its items' Raised step
    moves with it, since an item is raised on its meeting's date; the meeting's history
    keeps the date it had. Raises ValidationError (nothing saved) if the change is
    refused. One saved as it was found, line breaks aside, is left as stored: nothing to
    record in its history."""
    with transaction.atomic():
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if as_stored(meeting, stored):
            return stored
        meeting.full_clean()
        meeting.save()
        if meeting.held_on != stored.held_on:
            StateChange.objects.filter(item__meeting=meeting, change=Change.RAISED).update(
                on=meeting.held_on
            )
    return meeting


def item_raise(
    *,
    meeting,
    kind,
    words,
    entered_by,
    minute="",
    answerer=None,
    answerer_as_minuted="",
    due_on=None,
    actions=(),
    position=None,
    key=None,
):
    """Record an item members raised at `meeting`, open from the meeting's date, and the
    plan actions it concerns, after the meeting's items (or at `position`). The meeting's
    row is locked, so items raised at once take a place each. `key` is the one-time key of
    the form it came from (a new one if None): an item already raised under it is
    returned, marked `sent_before`, and nothing raised again.
    Raises ValidationError (nothing saved) if it is incomplete."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if key is not None and (sent_before := meeting.items.filter(key=key).first()):
            sent_before.sent_before = True
            return sent_before
        if position is None:
            highest = meeting.items.aggregate(highest=Max("position"))["highest"]
            position = 1 if highest is None else highest + 1
        item = Item(
            meeting=meeting,
            position=position,
            kind=kind,
            words=words,
            minute=minute,
            answerer=answerer,
            answerer_as_minuted=answerer_as_minuted,
            due_on=due_on,
        )
        if key is not None:
            item.key = key
        item.full_clean()
        item.save()
        item.actions.set(actions)
        StateChange.objects.create(
            item=item,
            change=Change.RAISED,
            state=State.OPEN,
            on=meeting.held_on,
            meeting=meeting,
            entered_by=entered_by,
        )
    return item


def response_record(
    *,
    item,
    text,
    entered_by,
    considers_answered,
    evidence="",
    evidence_links="",
    responded_on=None,
    key=None,
):
    """Add an officer's answer to an item, dated today unless `responded_on` says otherwise.
    If the officer considers it answered and the item is open, it moves to answered
    (awaiting the committee). The item's row is locked, so answers land one at a time.
    `key` is the one-time key of the form it came from (a new one if None): an answer
    already recorded under it is returned, and nothing recorded again.
    Raises ValidationError (nothing saved) if the item is closed or the answer is
    incomplete."""
    with transaction.atomic():
        locked = _locked(item)
        if key is not None and (sent_before := locked.responses.filter(key=key).first()):
            return sent_before
        if not locked.owes_answer:
            raise ValidationError("A conclusion is the committee’s view: it needs no answer.")
        latest = locked.latest_change()
        _refuse_if_closed(locked, latest)
        _refuse_if_not_yet_raised(locked)
        responded_on = responded_on or timezone.localdate()
        _check_date(responded_on, latest, "responded_on")
        response = Response(
            item=locked,
            responded_on=responded_on,
            text=text,
            evidence=evidence,
            evidence_links=evidence_links,
            considers_answered=considers_answered,
            entered_by=entered_by,
        )
        if key is not None:
            response.key = key
        response.full_clean()
        response.save()
        if considers_answered and latest.state == State.OPEN:
            StateChange.objects.create(
                item=locked,
                change=Change.ANSWERED,
                state=State.ANSWERED,
                on=responded_on,
                response=response,
                entered_by=entered_by,
            )
    return response


def decision_record(
    *, item, decision, entered_by, meeting=None, reason="", on=None, due_on=None, key=None
):
    """Record what the committee decided about an item's answer: accepted (at `meeting`),
    not accepted (sent back at `meeting`, with the reason, and perhaps a new date the
    answer is due by, `due_on`; the item reopens) or withdrawn (with the reason; on the
    meeting's date, or `on`, or today). The item's row is locked, so decisions land one
    at a time. `key` is the one-time key of the form it came from (a new one if None): a
    decision already recorded under it is returned, marked `sent_before`, and nothing
    recorded again. Raises ValidationError (nothing saved) if the decision doesn't fit
    the item's state."""
    if decision not in DECISIONS:
        raise ValidationError(f"{decision!r} is not a decision the committee records.")
    reason = reason.strip()
    with transaction.atomic():
        locked = _locked(item)
        if key is not None and (sent_before := locked.state_changes.filter(key=key).first()):
            sent_before.sent_before = True
            return sent_before
        latest = locked.latest_change()
        _refuse_if_closed(locked, latest)
        _refuse_if_not_yet_raised(locked)
        given = {"meeting": meeting, "reason": reason, "due_on": due_on}
        if errors := decision_problems(item=locked, latest=latest, decision=decision, **given):
            raise ValidationError(errors)
        on = meeting.held_on if meeting is not None else (on or timezone.localdate())
        _check_date(on, latest, "meeting" if meeting is not None else "on")
        if due_on is not None and due_on <= on:
            after = f"The new date must be after the meeting that sent it back ({_day(on)})."
            raise ValidationError({"due_on": after})
        change = StateChange(
            item=locked,
            change=decision,
            state=STATE_AFTER[decision],
            on=on,
            meeting=meeting,
            reason=reason,
            due_on=due_on,
            entered_by=entered_by,
        )
        if key is not None:
            change.key = key
        change.full_clean()
        change.save()
    return change


def decision_problems(*, item, decision, meeting=None, reason="", due_on=None, latest=None):
    """What stops the committee's decision being recorded as given, by field: {field:
    message}, empty when nothing does. The decision form asks too, with the fields that
    were filled in right, so every problem is named at once."""
    latest = latest or item.latest_change()
    reason = reason.strip()
    errors = {}
    if decision in (Change.ACCEPTED, Change.NOT_ACCEPTED) and meeting is None:
        errors["meeting"] = "Choose the meeting at which the committee decided."
    if decision in (Change.NOT_ACCEPTED, Change.WITHDRAWN) and not has_words(reason):
        errors["reason"] = (
            "Say why the answer was not accepted."
            if decision == Change.NOT_ACCEPTED
            else "Say why the item is withdrawn."
        )
    if due_on is not None and decision != Change.NOT_ACCEPTED:
        errors["due_on"] = (
            "A new date is for an answer sent back: leave it empty to accept or withdraw."
        )
    if decision == Change.NOT_ACCEPTED and latest.state != State.ANSWERED:
        errors["decision"] = (
            "There is no answer waiting for the committee to send back: the item is still open."
        )
    if meeting is not None and meeting.held_on < item.meeting.held_on:
        errors["meeting"] = (
            "The committee can’t decide at a meeting before the one that raised the item "
            f"({_day(item.meeting.held_on)})."
        )
    return errors
