"""An action's effective due date: the plan's own, or the latest known update's revision."""

from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.db.models.functions import Coalesce

from .expressions import _LatestConfirmed
from .known import known, newest_key


def original_due_on(known_at=None):
    """The plan's own due date for an action: its timeframe's, or, for a timeframe to be
    confirmed, the date a person last confirmed for this action (as known at `known_at`).
    `Action.original_due_on` says the same for one action."""
    return Case(
        When(timeframe__to_be_confirmed=True, then=_LatestConfirmed(known_at)),
        default=F("timeframe__due_on"),
    )


def effective_due_on(revised_due_on, known_at=None):
    """The due date an action is judged against: the revised date from the latest known update
    that gave one (`revised_due_on`, an expression for it, None when there is none), else the
    plan's own (original_due_on). The one expression for it; `due_date_as_at` says the same
    for one action."""
    return Coalesce(revised_due_on, original_due_on(known_at))


def due_date_as_at(updates, original_due_on):
    """The effective due date from the known `updates` of one action, and the update that
    revised it (None when the timeframe's own date stands): the rule of effective_due_on."""
    revisions = [update for update in updates if update.revised_due_on is not None]
    revision = max(revisions, key=newest_key, default=None)
    return (revision.revised_due_on if revision else original_due_on), revision


def _may_be_due_before(as_at, known_at=None):
    """A condition every action whose effective due date is before `as_at` meets (and some
    others): its timeframe's date is, or its date is to be confirmed, or a known update
    revised it to a date that is. Cheap to test before working out each action's state,
    which an overdue list then needs only for these: in the 10,000-action demo plan, 36%
    of the actions as at today and 21% as at a year ago. Not the rule (that is
    effective_due_on), only what it implies: a test holds every overdue action to it."""
    from ..progress import ProgressUpdate

    revised_before = ProgressUpdate.objects.filter(
        known(as_at, known_at), action=OuterRef("pk"), revised_due_on__lt=as_at
    )
    return (
        Q(timeframe__due_on__lt=as_at) | Q(timeframe__to_be_confirmed=True) | Exists(revised_before)
    )
