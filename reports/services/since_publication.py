"""What updates, confirmations and timeframe changes entered after publication changed."""

from dataclasses import dataclass, field, replace

from actions.late_entries import correction_words, timeframe_changes_since
from actions.models import Action, DateConfirmation, ProgressUpdate
from actions.positions import Position, positions


@dataclass(frozen=True)
class LateChange:
    """An action whose position as at the quarter end is no longer what was published,
    because of updates entered, due dates confirmed or timeframes changed after publication."""

    published: Position
    now: Position
    entries: list  # ProgressUpdate, oldest entry first
    confirmations: list = field(default_factory=list)  # DateConfirmation, oldest first
    corrections: list = field(default_factory=list)  # (history record, words), oldest first
    timeframes: list = field(default_factory=list)  # late_entries.TimeframeChange, oldest first


@dataclass(frozen=True)
class LateCounts:
    """How many of each kind of later entry there are, changing a position or not, and how
    many of them are listed beside a position they changed (`listed`)."""

    updates: int = 0
    corrected: int = 0
    confirmed: int = 0
    timeframes: int = 0
    listed: int = 0

    @property
    def total(self):
        return self.updates + self.corrected + self.confirmed + self.timeframes

    @property
    def words(self):
        """ "1 update entered later and 2 due dates confirmed later", for the notices."""
        parts = [
            f"{count} {noun}{'' if count == 1 else 's'} {done} later"
            for count, noun, done in (
                (self.updates, "update", "entered"),
                (self.corrected, "update", "corrected"),
                (self.confirmed, "due date", "confirmed"),
                (self.timeframes, "timeframe", "changed"),
            )
            if count
        ]
        return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def changed_since_publication(report, frozen=None):
    """The positions that updates entered or corrected, due dates confirmed or timeframes
    changed after publication changed, each with those later entries (who entered them and
    when), and the LateCounts of the later entries. `frozen` are the report's published
    Positions if the caller has them. A fixed number of queries: the late updates; the
    corrected updates; the late confirmations; the timeframe changes (two, and the actions
    a shared timeframe times if one changed); then, only if there are any, those actions'
    live positions."""
    actions = report.positions.values("action_id")
    late = list(
        ProgressUpdate.objects.filter(
            action_id__in=actions,
            reported_on__lte=report.quarter_ends_on,
            entered_at__gt=report.published_at,
        )
        .select_related("entered_by")
        .order_by("entered_at", "pk")
    )
    corrected = [
        (record, correction_words(record))
        for record in ProgressUpdate.history.corrected_since(
            report.published_at, report.quarter_ends_on
        )
        .filter(action_id__in=actions)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ]
    confirmed = list(
        DateConfirmation.objects.entered_since(report.published_at)
        .filter(action_id__in=actions)
        .select_related("entered_by")
        .order_by("entered_at", "pk")
    )
    timeframes = timeframe_changes_since(
        report.published_at, Action.objects.filter(pk__in=actions)
    )[::-1]
    counts = LateCounts(len(late), len(corrected), len(confirmed), len(timeframes))
    if not counts.total:
        return [], counts
    by_kind = {"entries": {}, "corrections": {}, "confirmations": {}, "timeframes": {}}
    for kind, rows, of_action in (
        ("entries", late, "action_id"),
        ("corrections", corrected, None),
        ("confirmations", confirmed, "action_id"),
        ("timeframes", timeframes, "action_id"),
    ):
        for row in rows:
            action_id = row[0].action_id if of_action is None else getattr(row, of_action)
            by_kind[kind].setdefault(action_id, []).append(row)
    action_ids = set().union(*by_kind.values())
    live = positions(
        Action.objects.filter(pk__in=action_ids), as_at=report.quarter_ends_on, known_at=None
    )
    if frozen is None:
        frozen = [
            Position.from_dict(data)
            for data in report.positions.filter(action_id__in=action_ids).values_list(
                "data", flat=True
            )
        ]
    published = {position.action_id: position for position in frozen}
    changes = [
        LateChange(
            published[now.action_id],
            now,
            **{kind: rows.get(now.action_id, []) for kind, rows in by_kind.items()},
        )
        for now in live
        if now.action_id in published and _differs(published[now.action_id], now)
    ]
    listed = sum(
        len(change.entries)
        + len(change.corrections)
        + len(change.confirmations)
        + len(change.timeframes)
        for change in changes
    )
    return changes, replace(counts, listed=listed)


# What a reader of the report would see change in a position.
COMPARED = (
    "status",
    "rag",
    "due_on",
    "is_finished",
    "is_overdue",
    "is_at_risk",
    "is_stale",
    "latest_update_id",
)


def _differs(published, now):
    return any(getattr(published, name) != getattr(now, name) for name in COMPARED)
