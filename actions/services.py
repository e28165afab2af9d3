"""Writes that must happen as one, shared by the views, the admin, commands and tests."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Action, ProgressUpdate


def progress_update_record(
    *,
    action,
    reported_on,
    status,
    entered_by,
    rag="",
    working_well="",
    worried_about="",
    evidence="",
    evidence_links="",
    rag_change_reason="",
    revised_due_on=None,
    revised_due_reason="",
    seen_up_to=None,
    key=None,
):
    """Add a progress update to an action, checked against the update rules.

    The action's row is locked first, so updates to one action are recorded one at a
    time and each sees those recorded before it; nothing earlier is ever changed.
    `seen_up_to` is the newest update (by entry) there was when the person's form opened
    (None if no form): the RAG rule compares with the update before this one's date among
    those, so an update landing meanwhile doesn't reject theirs.
    `key` is the one-time key of the form it came from (a new one if None).
    Raises ValidationError (nothing saved) if the update breaks a rule.
    """
    with transaction.atomic():
        locked = (
            Action.objects.select_for_update()
            .select_related("theme__plan", "timeframe")
            .get(pk=action.pk)
        )
        update = ProgressUpdate(
            action=locked,
            reported_on=reported_on,
            status=status,
            rag=rag,
            working_well=working_well,
            worried_about=worried_about,
            evidence=evidence,
            evidence_links=evidence_links,
            rag_change_reason=rag_change_reason,
            revised_due_on=revised_due_on,
            revised_due_reason=revised_due_reason,
            entered_by=entered_by,
        )
        if key is not None:
            update.key = key
        update.seen_up_to = seen_up_to
        update.full_clean()
        update.save()
    return update


def date_confirmation_record(
    *, action, confirmed_on, reason, entered_by, sub_step=None, key=None, seen_up_to=None
):
    """Record the date a person confirmed for an action (or one of its sub-steps) whose
    timeframe is to be confirmed, for the timeframe's words as they now read. The plan's
    words stay as written; only this action moves, never the others that share its
    timeframe. The action's row is locked, so confirmations land one at a time.
    `key` is the one-time key of the form it came from (a new one if None): a confirmation
    already recorded under it is returned, and nothing recorded again. `seen_up_to` is the
    newest confirmation there was when the form opened (0 for none; None: not checked): one
    recorded since is not silently replaced.
    Raises ValidationError (nothing saved)."""
    from .models import DateConfirmation

    timeframe = sub_step.timeframe if sub_step is not None else action.timeframe
    if timeframe is None or not timeframe.to_be_confirmed:
        raise ValidationError(
            {"confirmed_on": "This date is not waiting to be confirmed: it reads as written."}
        )
    with transaction.atomic():
        Action.objects.select_for_update().filter(pk=action.pk).exists()
        earlier = DateConfirmation.objects.filter(action=action, sub_step=sub_step)
        if key is not None and (sent_before := earlier.filter(key=key).first()):
            return sent_before
        since = earlier.filter(pk__gt=seen_up_to or 0).order_by("-pk").first()
        if seen_up_to is not None and since is not None:
            raise ConfirmedMeanwhile(since)
        confirmation = DateConfirmation(
            action=action,
            sub_step=sub_step,
            timeframe_label=timeframe.label,
            confirmed_on=confirmed_on,
            reason=reason,
            entered_by=entered_by,
        )
        if key is not None:
            confirmation.key = key
        confirmation.full_clean()
        confirmation.save()
    return confirmation


class ConfirmedMeanwhile(ValidationError):
    """Someone confirmed the date after the person's form opened: `confirmation`, theirs."""

    def __init__(self, confirmation):
        who = confirmation.entered_by
        name = (who.get_full_name() or who.get_username()) if who else "Someone"
        super().__init__(
            {
                "confirmed_on": f"{name} confirmed this date as "
                f"{confirmation.confirmed_on:%-d %B %Y} after you opened this page. Nothing "
                "has been saved: check theirs below, then confirm again if yours is right."
            }
        )
        self.confirmation = confirmation
