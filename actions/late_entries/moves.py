"""Actions given another lead or theme, or another supporting lead, after a past day."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, Subquery

from ..models import Action, Lead
from ..models.action import unindexed
from .lateness import _late_moment


@dataclass(frozen=True)
class Move:
    """One action given another lead or theme: who led it and its theme on the as-at date
    (`lead_then`, `theme_then`) and now. Leads and themes are named as they are now."""

    action_id: int
    reference: str
    description: str
    lead_then: str
    lead_now: str
    theme_then: str
    theme_now: str
    # The plan it is in now, and when and by whom (the user's name, "" if not recorded) it
    # was last moved: for the late-entries listing.
    plan_name: str = ""
    at: datetime | None = None
    by: str = ""

    @property
    def pk(self):
        """The action's: so the listing's action cells take a move as they take an action."""
        return self.action_id

    @property
    def lead_changed(self):
        return self.lead_then != self.lead_now

    @property
    def theme_changed(self):
        return self.theme_then != self.theme_now


@dataclass(frozen=True)
class SupportChange:
    """One action `lead` was made a supporting lead of after the as-at date (`added`), or
    supported on that day and no longer does (not `added`), and when (`at`) and by whom
    (the user's name, "" if not recorded) that last changed."""

    action_id: int
    reference: str
    description: str
    lead: str
    added: bool
    plan_name: str
    at: datetime
    by: str

    @property
    def pk(self):
        """The action's: so the listing's action cells take it as they take an action."""
        return self.action_id


# A lead since deleted: its name is not kept.
LEAD_GONE = "a lead since removed from the tracker"


def user_name(row, prefix):
    """The full name (or else the username) of the user in a values() `row`'s fields named
    `prefix`first_name and so on; "" if none was recorded."""
    full = f"{row[prefix + 'first_name'] or ''} {row[prefix + 'last_name'] or ''}".strip()
    return full or row[prefix + "username"] or ""


# What the notice and the listing show of an action's history record, as values(): the
# action, where it is in its plan now, and when and by whom the record was written.
LATE_RECORD_FIELDS = (
    "id",
    "reference",
    "description",
    "position",
    "theme__position",
    "theme__plan_id",
    "theme__plan__name",
    "history_date",
    "history_user__first_name",
    "history_user__last_name",
    "history_user__username",
)


def _first_and_last(rows):
    """({action's id: its first row}, {action's id: its last row}) of history `rows`."""
    first, last = {}, {}
    for row in rows:
        first.setdefault(row["id"], row)
        last[row["id"]] = row
    return first, last


def _in_plan_order(changes, last):
    """`changes` (each with an action_id) in their actions' plan order, as `last` (the
    actions' last history rows) has them now."""
    order = {
        action_id: (row["theme__plan_id"] or 0, row["theme__position"] or 0, row["position"])
        for action_id, row in last.items()
    }
    return sorted(changes, key=lambda change: order[change.action_id])


def moved_late(as_at, actions=None, **away):
    """The actions (of the `actions` queryset, or any whose record before the move matches
    `away`, e.g. lead_id_before=7; None: every action) given another lead or theme after
    the `as_at` day, each once, in plan order, with their lead and theme then and now; not
    one moved and moved back. One query (Action.history.moved_since), only on a past date."""
    from themes.models import Theme

    moment = _late_moment(as_at)
    if moment is None:
        return []
    records = Action.history.moved_since(moment)
    if actions is not None:
        # `+id`, as timeframe_changed_since checks it: the planner starts from the few
        # records written since.
        condition = Q(_of_action__in=actions.values("pk"))
        if away:
            condition |= Q(**away)
        records = records.alias(_of_action=unindexed("id")).filter(condition)
    lead_before = Lead.objects.filter(pk=OuterRef("lead_id_before")).order_by()
    # Plain values, not records with their lead and theme: this query is compiled on every
    # page as at a past date, and finds nothing on nearly all of them.
    rows = records.values(
        *LATE_RECORD_FIELDS,
        "lead__name",
        "lead__initials",
        "theme__name",
        lead_name_before=Subquery(lead_before.values("name")[:1]),
        lead_initials_before=Subquery(lead_before.values("initials")[:1]),
        theme_name_before=Subquery(
            Theme.objects.filter(pk=OuterRef("theme_id_before")).order_by().values("name")[:1]
        ),
    ).order_by("history_date", "history_id")
    first, last = _first_and_last(rows)
    moves = [
        Move(
            action_id=action_id,
            reference=now["reference"],
            description=now["description"],
            lead_then=Lead.shown_as(
                then["lead_name_before"] or "", then["lead_initials_before"] or ""
            )
            or LEAD_GONE,
            lead_now=Lead.shown_as(now["lead__name"] or "", now["lead__initials"] or "")
            or LEAD_GONE,
            theme_then=then["theme_name_before"] or "",  # a theme since deleted
            theme_now=now["theme__name"] or "",
            plan_name=now["theme__plan__name"] or "",
            at=now["history_date"],
            by=user_name(now, "history_user__"),
        )
        for action_id, then in first.items()
        for now in [last[action_id]]
    ]
    return _in_plan_order([move for move in moves if move.lead_changed or move.theme_changed], last)


def support_changed_late(as_at, lead):
    """The actions `lead` was made a supporting lead of, or stopped being one of, after the
    `as_at` day, each once, in plan order; not one changed and changed back, nor one added
    to its plan after that day (pages as at it leave it out). One query
    (Action.history.support_changed_since), only on a past date."""
    moment = _late_moment(as_at)
    if moment is None:
        return []
    rows = (
        Action.history.support_changed_since(moment, lead)
        .filter(Q(added_on__isnull=True) | Q(added_on__lte=as_at))
        .values(*LATE_RECORD_FIELDS, "supports")
        .order_by("history_date", "history_id")
    )
    first, last = _first_and_last(rows)
    # Each record changes whether `lead` supports the action, so they alternate: it
    # supported the action on the day if the first record ended that, and does now if the
    # last record began it; when those agree, it was changed and changed back.
    changes = [
        SupportChange(
            action_id=action_id,
            reference=now["reference"],
            description=now["description"],
            lead=str(lead),
            added=now["supports"],
            plan_name=now["theme__plan__name"] or "",
            at=now["history_date"],
            by=user_name(now, "history_user__"),
        )
        for action_id, now in last.items()
        if now["supports"] == first[action_id]["supports"]
    ]
    return _in_plan_order(changes, last)
