"""Each action's position as plain values, as a published report freezes it.

A Position holds nothing that reads the database later: the action's words, its lead's name
and its latest update's narratives are copied as they read at the moment `positions` ran, so
a report built from stored positions reads the same for ever, whatever is edited afterwards.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime

from .models import Action, Lead, ProgressUpdate, Status, rag_words

# An action's position in words, as its tags on the pages say it, from with_state's flags.
# Never Green: Green is the officer's RAG, not ours.
POSITION_WORDS = (
    ("is_overdue", "Overdue"),
    ("is_at_risk", "At risk"),
    ("has_no_concerns", "No concerns"),
)


def position_words(action):
    """What an action's position tags say: its status when it is finished, else Overdue,
    At risk or No concerns. `action` is a with_state row or an ActionState."""
    if action.is_finished:
        return [Status(action.latest_status).label]
    return [word for flag, word in POSITION_WORDS if getattr(action, flag)]


# Stored positions are read back by field name: fields may be added, never renamed.
_DATES = ("original_due_on", "due_on", "due_revised_on", "latest_reported_on", "as_at")
_MOMENTS = ("latest_entered_at", "known_at")


@dataclass(frozen=True)
class Position:
    """One action's position as at a date (and, when given, as known at a moment).

    Flags and reasons come from ActionQuerySet.with_state; nothing here restates a rule.
    latest_* and the narratives are empty (None or "") for an action never updated;
    latest_entered_by is None for progress recorded in a published plan.
    """

    action_id: int
    plan_slug: str
    plan_name: str
    reference: str
    description: str
    expected_outcome: str
    theme_id: int
    theme_name: str
    theme_position: int
    lead_name: str
    lead_job_title: str
    supporting_leads: list[str]
    timeframe_label: str
    original_due_on: date | None
    due_on: date | None
    revised_due_reason: str
    status: str
    status_label: str
    rag: str
    rag_words: str
    latest_update_id: int | None
    latest_reported_on: date | None
    latest_entered_at: datetime | None
    latest_entered_by: str | None
    is_finished: bool
    is_overdue: bool
    is_at_risk: bool
    is_stale: bool
    is_due_soon_not_started: bool
    days_overdue: int | None
    risk_reasons: list[str]
    working_well: str
    worried_about: str
    evidence: str
    evidence_links: list[str]
    rag_change_reason: str
    # Added beside the agreed fields.
    action_position: int = 0
    lead_id: int | None = None
    due_revised_on: date | None = None
    is_due_soon: bool = False
    is_due_update: bool = False
    as_at: date | None = None
    known_at: datetime | None = None

    @property
    def due_date_revised(self):
        """Whether a revised due date stands in place of the plan's."""
        return self.due_on != self.original_due_on

    def to_dict(self):
        """Plain JSON values: dates and moments as ISO strings, lists as lists."""
        # Field by field, not asdict(), which deep-copies every value of every position.
        values = {name: getattr(self, name) for name in _FIELDS}
        for name in _LISTS:
            values[name] = list(values[name])
        for name in _DATES + _MOMENTS:
            if values[name] is not None:
                values[name] = values[name].isoformat()
        return values

    @classmethod
    def from_dict(cls, values):
        """The Position to_dict wrote; keys it doesn't know (written by a later version)
        are ignored, and fields added since take their defaults."""
        values = {name: value for name, value in values.items() if name in _FIELDS}
        for name in _DATES:
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        for name in _MOMENTS:
            if values.get(name):
                values[name] = datetime.fromisoformat(values[name])
        return cls(**values)


_FIELDS = {field.name: field for field in fields(Position)}
_LISTS = [name for name, field in _FIELDS.items() if field.type == list[str]]


def _entered_by(update):
    if update is None or update.entered_by is None:
        return None
    return update.entered_by.get_full_name() or update.entered_by.username


def positions(actions, *, as_at, known_at=None):
    """The Position of each of `actions` (an Action queryset) as at `as_at`, as known at
    `known_at` (None: as known now), in plan order. Three queries, however many actions:
    the actions with their state, plan, theme, lead and timeframe; their supporting leads;
    their latest updates with who entered them."""
    rows = list(
        actions.with_state(as_at, known_at)
        .select_related("theme__plan", "lead", "timeframe")
        .order_by("theme__plan__name", "theme__position", "position", "pk")
    )
    supporting = _supporting_leads([row.pk for row in rows])
    update_ids = [row.latest_update_id for row in rows if row.latest_update_id]
    latest = ProgressUpdate.objects.select_related("entered_by").in_bulk(update_ids)
    return [
        _position(row, supporting[row.pk], latest.get(row.latest_update_id), as_at, known_at)
        for row in rows
    ]


def _supporting_leads(action_ids):
    """{action id: its supporting leads' names, in name order}, in one query. Read as
    plain values: prefetch_related would make a queryset and a manager for every action."""
    supporting = defaultdict(list)
    for action_id, name, initials in (
        Action.supporting_leads.through.objects.filter(action_id__in=action_ids)
        .order_by("lead__name", "lead__initials")
        .values_list("action_id", "lead__name", "lead__initials")
    ):
        supporting[action_id].append(Lead.shown_as(name, initials))
    return supporting


def _position(row, supporting_leads, update, as_at, known_at):
    theme, plan, lead = row.theme, row.theme.plan, row.lead
    return Position(
        action_id=row.pk,
        plan_slug=plan.slug,
        plan_name=plan.name,
        reference=row.reference,
        description=row.description,
        expected_outcome=row.expected_outcome,
        theme_id=theme.pk,
        theme_name=theme.name,
        theme_position=theme.position,
        lead_name=str(lead),
        lead_job_title=lead.job_title,
        supporting_leads=supporting_leads,
        timeframe_label=row.timeframe.label,
        original_due_on=row.original_due_on,
        due_on=row.due_on,
        revised_due_reason=row.revised_due_reason or "",
        status=row.latest_status,
        status_label=Status(row.latest_status).label,
        rag=row.latest_rag,
        rag_words=rag_words(row.latest_status, row.latest_rag),
        latest_update_id=row.latest_update_id,
        latest_reported_on=row.latest_reported_on,
        latest_entered_at=update.entered_at if update else None,
        latest_entered_by=_entered_by(update),
        is_finished=row.is_finished,
        is_overdue=row.is_overdue,
        is_at_risk=row.is_at_risk,
        is_stale=row.is_stale,
        is_due_soon_not_started=row.is_due_soon_not_started,
        days_overdue=row.days_overdue,
        risk_reasons=row.risk_reasons,
        working_well=update.working_well if update else "",
        worried_about=update.worried_about if update else "",
        evidence=update.evidence if update else "",
        evidence_links=update.evidence_link_list if update else [],
        rag_change_reason=update.rag_change_reason if update else "",
        action_position=row.position,
        lead_id=lead.pk,
        due_revised_on=row.due_revised_on,
        is_due_soon=row.is_due_soon,
        is_due_update=row.is_due_update,
        as_at=as_at,
        known_at=known_at,
    )
