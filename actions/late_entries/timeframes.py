"""Changes of an action's timeframe words after a moment or a past day."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model

from ..models import Action, Timeframe
from ..models.action import unindexed
from .lateness import _late_moment


@dataclass(frozen=True)
class TimeframeChange:
    """One action's timeframe given other words: its own (on its page, or by an import, as
    `how` says) or the shared timeframe's, on the timeframe's own page."""

    action_id: int
    reference: str
    description: str
    plan_name: str
    before: str
    after: str
    how: str
    by: Model | None  # the user who made the change, if recorded
    at: datetime


SHARED = "Changed on the timeframe’s own page, for every action it times"


def timeframe_changes_since(moment, actions=None):
    """Every change of timeframe words after `moment` that moves one of `actions` (a
    queryset; None: every action), most recent first: Action.history.timeframe_changed_since
    and Timeframe.history.words_changed_since, for each action they move. Two queries, and a
    third only when a shared timeframe's words changed (the actions it times)."""
    actions = Action.objects.all() if actions is None else actions
    own = (
        Action.history.timeframe_changed_since(moment, actions=actions)
        .with_timeframe_words()
        .select_related("theme__plan", "history_user")
    )
    changes = [
        TimeframeChange(
            action_id=row.id,
            reference=row.reference,
            description=row.description,
            plan_name=row.theme.plan.name,
            before=row.timeframe_before,
            after=row.timeframe_after,
            how=row.history_change_reason or "Changed for this action alone",
            by=row.history_user,
            at=row.history_date,
        )
        for row in own
    ]
    shared = {}
    for row in Timeframe.history.words_changed_since(moment, actions=actions).select_related(
        "history_user"
    ):
        shared.setdefault(row.id, []).append(row)
    if shared:
        for action in actions.filter(timeframe_id__in=shared).select_related("theme__plan"):
            changes.extend(
                TimeframeChange(
                    action_id=action.pk,
                    reference=action.reference,
                    description=action.description,
                    plan_name=action.theme.plan.name,
                    before=row.label_before,
                    after=row.label,
                    how=SHARED,
                    by=row.history_user,
                    at=row.history_date,
                )
                for row in shared[action.timeframe_id]
            )
    return sorted(changes, key=lambda change: change.at, reverse=True)


def timeframe_changes_count(moment, actions=None):
    """How many of `actions` (a queryset; None: every action) changes of timeframe words
    after `moment` moved, counted per action as timeframe_changes_since lists them (an
    action moved twice by one shared timeframe's changes counted once): one query."""
    actions = Action.objects.all() if actions is None else actions
    own = (
        Action.history.timeframe_changed_since(moment, actions=actions).order_by().values_list("id")
    )
    # The actions the changed timeframes time, found from those timeframes (few), each
    # checked against `actions` as `+id`, which no index answers.
    shared = (
        Action.objects.filter(
            timeframe_id__in=Timeframe.history.words_changed_since(moment).values("id")
        )
        .alias(_of_action=unindexed("id"))
        .filter(_of_action__in=actions.values("pk"))
        .order_by()
        .values_list("id")
    )
    return own.union(shared, all=True).count()


def timeframe_changes_late(as_at, actions=None):
    """timeframe_changes_since the end of the `as_at` day: beside
    ProgressUpdate.entered_late, what has changed the position as at `as_at` since the day."""
    moment = _late_moment(as_at)
    return [] if moment is None else timeframe_changes_since(moment, actions)


def timeframe_changes_late_count(as_at, actions=None):
    moment = _late_moment(as_at)
    return 0 if moment is None else timeframe_changes_count(moment, actions)
