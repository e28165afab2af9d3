"""What changed between two positions of a plan: the quarterly report's "what changed since
last quarter", the dashboard's "since last report" and the reminders all read it from here.

`what_changed(previous, current, since=..., updates=...)` compares two lists of
actions.positions.Position: `previous` as at the end of the last period (the previous
published report's, or the previous quarter end's), or None when there is none; `current` as
at the end of this one. A period runs from `since` to the current positions' as-at date.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from .models import RAG, ProgressUpdate, Status
from .models.rules import AT_RISK_RAGS, known, newest_key

# The lists, in the order a committee paper reads them, with their headings.
SECTIONS = (
    ("newly_overdue", "Newly overdue"),
    ("newly_at_risk", "Newly at risk"),
    ("rag_changes", "RAG rating changed"),
    ("completions", "Completed"),
    ("slipped", "Due date slipped"),
    ("not_updated", "No update this quarter"),
    ("overdue_carried_over", "Overdue, carried over"),
    ("joined", "Joined the plan"),
    ("left", "Left the plan"),
)

_COLOURS = {RAG.RED, RAG.AMBER, RAG.GREEN}


@dataclass(frozen=True)
class ChangedAction:
    """One action in one list: who and where it is, and what changed, as plain values.

    `was` and `now` say the change in words (a RAG, a due date); `reason` is the officer's
    stated reason (for a RAG change or a slipped date); `evidence` and `evidence_links` are
    a completion's. Empty when the list doesn't use them.
    """

    action_id: int
    reference: str
    description: str
    lead_name: str
    theme_name: str
    theme_position: int
    was: str = ""
    now: str = ""
    reason: str = ""
    evidence: str = ""
    evidence_links: list[str] = field(default_factory=list)
    days_overdue: int | None = None

    @classmethod
    def of(cls, position, **details):
        return cls(
            action_id=position.action_id,
            reference=position.reference,
            description=position.description,
            lead_name=position.lead_name,
            theme_name=position.theme_name,
            theme_position=position.theme_position,
            **details,
        )


@dataclass(frozen=True)
class Changes:
    """Each list of SECTIONS, for the period from `since` to `as_at`."""

    since: date
    as_at: date
    newly_overdue: list[ChangedAction]
    newly_at_risk: list[ChangedAction]
    rag_changes: list[ChangedAction]
    completions: list[ChangedAction]
    slipped: list[ChangedAction]
    not_updated: list[ChangedAction]
    overdue_carried_over: list[ChangedAction]
    joined: list[ChangedAction]
    left: list[ChangedAction]

    def sections(self):
        """(name, heading, list) for each list, in the order a committee paper reads them."""
        return [(name, heading, getattr(self, name)) for name, heading in SECTIONS]

    def to_dict(self):
        """Plain JSON values, for a published report to keep."""
        values = asdict(self)
        values["since"], values["as_at"] = self.since.isoformat(), self.as_at.isoformat()
        return values

    @classmethod
    def from_dict(cls, values):
        lists = {
            name: [ChangedAction(**entry) for entry in values.get(name, [])] for name, _ in SECTIONS
        }
        return cls(
            since=date.fromisoformat(values["since"]),
            as_at=date.fromisoformat(values["as_at"]),
            **lists,
        )


def updates_in_period(current, *, since):
    """The updates reported from `since` to the current positions' date and known at their
    moment, by action id, oldest first: one query. what_changed reads the officers' stated
    reasons from them."""
    if not current:
        return {}
    as_at, known_at = current[0].as_at, current[0].known_at
    found = ProgressUpdate.objects.filter(
        known(as_at, known_at),
        action_id__in=[position.action_id for position in current],
        reported_on__gte=since,
    ).only("action_id", "reported_on", "rag", "rag_change_reason", "status")
    by_action = {}
    for update in sorted(found, key=newest_key):
        by_action.setdefault(update.action_id, []).append(update)
    return by_action


def what_changed(previous, current, *, since, updates=None):
    """What changed from `previous` (list of Position, or None: no earlier position) to
    `current` (list of Position as at the end of the period starting `since`).

    `updates` is updates_in_period(current, since=since); it gives a RAG change its reason
    when the latest update doesn't carry one.
    """
    updates = updates or {}
    before = {position.action_id: position for position in previous or []}
    now_ids = {position.action_id for position in current}
    as_at = current[0].as_at if current else since
    lists = {name: [] for name, _ in SECTIONS}
    for position in current:
        was = before.get(position.action_id)
        for name, rule in _RULES:
            entry = rule(position, was, previous is not None, since, updates)
            if entry is not None:
                lists[name].append(entry)
    if previous is not None:
        lists["left"] = [
            ChangedAction.of(position) for position in previous if position.action_id not in now_ids
        ]
    return Changes(since=since, as_at=as_at, **lists)


def _was_overdue(position, was, compared, since):
    """Whether the action was overdue at the previous position; without one (a plan's first
    quarter), whether it was overdue on `since`, the start it is compared with: due before
    that day (DOMAIN.md's overdue rule, as at `since`)."""
    if compared:
        return bool(was and was.is_overdue)
    return position.due_on is not None and position.due_on < since


def _newly_overdue(position, was, compared, since, updates):
    """Overdue now, and not overdue before (or not in the plan before)."""
    if position.is_overdue and not _was_overdue(position, was, compared, since):
        return ChangedAction.of(position, days_overdue=position.days_overdue)
    return None


def _overdue_carried_over(position, was, compared, since, updates):
    """Overdue now and overdue at the previous position too."""
    if position.is_overdue and _was_overdue(position, was, compared, since):
        return ChangedAction.of(position, days_overdue=position.days_overdue)
    return None


def _newly_at_risk(position, was, compared, since, updates):
    """At risk now, and not at risk before (or not in the plan before, or with no previous
    position at all); with the reasons."""
    if position.is_at_risk and not (was and was.is_at_risk):
        # "; " as the Position column joins them: a reason may itself hold a comma.
        return ChangedAction.of(position, now="; ".join(position.risk_reasons))
    return None


def _rag_change(position, was, compared, since, updates):
    """Unfinished before and now, and rated Red, Amber or Green both times in different
    colours, or not rated before and Red or Amber now (a first warning members must see).
    The reason is the latest update's stated reason, else the latest one stated in the period
    (an earlier update may have made the change)."""
    if not was or position.is_finished or was.is_finished:
        return None
    first_warning = not was.rag and position.rag in AT_RISK_RAGS
    if not first_warning and ({was.rag, position.rag} - _COLOURS or was.rag == position.rag):
        return None
    reasons = [
        update.rag_change_reason
        for update in updates.get(position.action_id, [])
        if update.rag_change_reason.strip()
    ]
    reason = position.rag_change_reason or (reasons[-1] if reasons else "")
    return ChangedAction.of(position, was=was.rag_words, now=position.rag_words, reason=reason)


def _completion(position, was, compared, since, updates):
    """Complete now and not before; without a previous position, marked complete by an
    update reported in the period. With its evidence."""
    if position.status != Status.COMPLETE:
        return None
    if compared:
        if was and was.status == Status.COMPLETE:
            return None
    elif position.latest_reported_on is None or position.latest_reported_on < since:
        return None
    return ChangedAction.of(
        position, evidence=position.evidence, evidence_links=list(position.evidence_links)
    )


def _slipped(position, was, compared, since, updates):
    """Due later now than before (without a previous position, than the plan's date, by an
    update reported in the period); with the reason the update gave. A date brought forward
    is not a slip."""
    if position.due_on is None:
        return None
    if compared:
        earlier = was.due_on if was else None
    elif position.due_revised_on is not None and position.due_revised_on >= since:
        earlier = position.original_due_on
    else:
        earlier = None
    if earlier is None or position.due_on <= earlier:
        return None
    return ChangedAction.of(
        position,
        was=f"{earlier:%-d %B %Y}",
        now=f"{position.due_on:%-d %B %Y}",
        reason=position.revised_due_reason,
    )


def _not_updated(position, was, compared, since, updates):
    """Not finished, and no update reported in the period."""
    if position.is_finished:
        return None
    if position.latest_reported_on is not None and position.latest_reported_on >= since:
        return None
    return ChangedAction.of(
        position,
        was=f"{position.latest_reported_on:%-d %B %Y}" if position.latest_reported_on else "",
    )


def _joined(position, was, compared, since, updates):
    """In the plan now and not at the previous position (never without one)."""
    return ChangedAction.of(position) if compared and was is None else None


_RULES = (
    ("newly_overdue", _newly_overdue),
    ("newly_at_risk", _newly_at_risk),
    ("rag_changes", _rag_change),
    ("completions", _completion),
    ("slipped", _slipped),
    ("not_updated", _not_updated),
    ("overdue_carried_over", _overdue_carried_over),
    ("joined", _joined),
)
