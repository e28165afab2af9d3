"""One action's position as at a date (ActionState), the partition positions fall into
(finished, overdue, at risk, no concerns) and its counts, and the reasons in words."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q

from .choices import AT_RISK_RAGS, FINISHED, RAG, Status
from .due import due_date_as_at
from .known import is_known, newest_key, quarter_start, update_window, warning_window

if TYPE_CHECKING:
    from ..progress import ProgressUpdate


# No concerns: none of these with_state flags holds. Never called "on track" nor shown in
# green: Green is the officer's rating, not ours (an unrated action can have no concerns).
CONCERN_FLAGS = ("is_finished", "is_overdue", "is_at_risk")
NO_CONCERNS = Q(**dict.fromkeys(CONCERN_FLAGS, False))


def has_no_concerns(position):
    """NO_CONCERNS for one row annotated by with_state, or one ActionState."""
    return not any(getattr(position, flag) for flag in CONCERN_FLAGS)


def _partition_counts():
    """The Count expressions of ActionQuerySet.counts, over rows annotated by with_state."""
    return {
        "total": Count("pk"),
        "complete_or_closed": Count("pk", filter=Q(is_finished=True)),
        "overdue": Count("pk", filter=Q(is_overdue=True)),
        "at_risk_not_overdue": Count("pk", filter=Q(is_at_risk=True, is_overdue=False)),
        "no_concerns": Count("pk", filter=NO_CONCERNS),
        "stale": Count("pk", filter=Q(is_stale=True)),
        "at_risk": Count("pk", filter=Q(is_at_risk=True)),
        "complete": Count("pk", filter=Q(latest_status=Status.COMPLETE)),
    }


# What the counts of the partition and of RAG by theme read from with_state.
_COUNTED = ("latest_status", "latest_rag", "is_finished", "is_overdue", "is_at_risk", "is_stale")


def counts_from_themes(themes):
    """ActionQuerySet.counts for the actions of these rag_by_theme rows: each count summed
    over the themes (every action is in exactly one theme)."""
    return {name: sum(theme[name] for theme in themes) for name in _partition_counts()}


@dataclass(frozen=True)
class ActionState:
    """One action's position as at a date; attribute names match ActionQuerySet.with_state."""

    as_at: date
    known_at: datetime | None
    latest_update: "ProgressUpdate | None"
    latest_status: str
    latest_rag: str
    latest_reported_on: date | None
    original_due_on: date | None
    due_on: date | None
    revised_due_reason: str | None
    due_revised_on: date | None
    is_finished: bool
    is_overdue: bool
    is_stale: bool
    is_due_soon: bool
    is_due_soon_not_started: bool
    is_due_update: bool
    is_at_risk: bool

    @property
    def state_as_at(self):
        return self.as_at

    @property
    def state_known_at(self):
        return self.known_at

    @property
    def latest_update_id(self):
        return self.latest_update.pk if self.latest_update else None

    @property
    def days_overdue(self):
        return _days_overdue(self)

    @property
    def days_since_update(self):
        return _days_since_update(self)

    @property
    def risk_reasons(self):
        return _risk_reasons(self)

    @property
    def exception_reasons(self):
        return _exception_reasons(self)

    @property
    def has_no_concerns(self):
        return has_no_concerns(self)

    @classmethod
    def from_updates(cls, *, as_at, known_at=None, updates, original_due_on, plan_starts_on):
        """The position from all of one action's updates; only the known ones count."""
        updates = [update for update in updates if is_known(update, as_at, known_at)]
        latest = max(updates, key=newest_key, default=None)
        due_on, revision = due_date_as_at(updates, original_due_on)
        status = latest.status if latest else Status.NOT_STARTED
        rag = latest.rag if latest else ""
        reported_on = latest.reported_on if latest else None
        finished = status in FINISHED
        last_touched_on = reported_on or plan_starts_on
        stale = not finished and last_touched_on < as_at - update_window()
        due_soon = (
            not finished and due_on is not None and as_at <= due_on <= as_at + warning_window()
        )
        due_soon_not_started = due_soon and status == Status.NOT_STARTED
        return cls(
            as_at=as_at,
            known_at=known_at,
            latest_update=latest,
            latest_status=status,
            latest_rag=rag,
            latest_reported_on=reported_on,
            original_due_on=original_due_on,
            due_on=due_on,
            revised_due_reason=revision.revised_due_reason if revision else None,
            due_revised_on=revision.reported_on if revision else None,
            is_finished=finished,
            is_overdue=not finished and due_on is not None and due_on < as_at,
            is_stale=stale,
            is_due_soon=due_soon,
            is_due_soon_not_started=due_soon_not_started,
            is_due_update=not finished
            and (reported_on is None or reported_on < quarter_start(as_at)),
            is_at_risk=not finished and (rag in AT_RISK_RAGS or due_soon_not_started or stale),
        )


def _days_overdue(action):
    if not getattr(action, "is_overdue", False):
        return None
    return (action.state_as_at - action.due_on).days


def _days_since_update(position):
    if getattr(position, "latest_reported_on", None) is None:
        return None
    return (position.state_as_at - position.latest_reported_on).days


def _risk_reasons(position):
    """The reasons behind is_at_risk, for people: the same conditions, in words."""
    if position.is_finished or not position.is_at_risk:
        return []
    reasons = []
    if position.latest_rag in AT_RISK_RAGS:
        reasons.append(RAG(position.latest_rag).label)
    if position.is_due_soon_not_started:
        reasons.append("Due soon, not started")
    if position.is_stale:
        reasons.append(f"No update for over {settings.UPDATE_WINDOW_DAYS} days")
    return reasons


def _exception_reasons(position):
    """Why an action is an exception, for people: Overdue first, then why it is at risk."""
    overdue = ["Overdue"] if position.is_overdue else []
    return overdue + _risk_reasons(position)
