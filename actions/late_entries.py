"""What a page's "entered later" notice and the late-entries listing are about: one action,
a theme, a lead's actions, a plan or every plan. A notice counts only the updates (entered or
corrected), confirmed due dates and timeframe changes of the actions its page shows, so it
never claims a change the page does not have."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cypeplan.inputs import plain_number

from .models import Action, DateConfirmation, Lead, Timeframe
from .models.action import unindexed
from .models.progress import ProgressUpdate
from .models.rules import end_of_day


@dataclass(frozen=True)
class About:
    """`kind` is "action", "theme", "lead" or "plan"; `thing` the row. EVERY_PLAN, below, is
    about every plan's actions."""

    kind: str
    thing: Model | None

    @property
    def actions(self) -> QuerySet | None:
        if self.kind == "every plan":
            return None  # what the rules take as every plan's
        if self.kind == "action":
            return Action.objects.filter(pk=self.thing.pk)
        if self.kind == "theme":
            return Action.objects.filter(theme=self.thing)
        if self.kind == "lead":
            return Action.objects.of_lead(self.thing)
        return Action.objects.filter(theme__plan=self.thing)

    @property
    def within(self):
        """How the notice says where the updates were: "on this action", and so on."""
        return {
            "action": "on this action",
            "theme": "in this theme",
            "lead": "on these actions",
            "plan": "in this plan",
        }[self.kind]

    @property
    def query(self):
        """The listing's link parameter for it."""
        return {self.kind: self.thing.slug if self.kind == "plan" else self.thing.pk}

    def entered_late(self, as_at):
        return ProgressUpdate.objects.entered_late(as_at, actions=self.actions)

    def corrected_late(self, as_at):
        return ProgressUpdate.history.corrected_late(as_at, actions=self.actions)

    def confirmed_late(self, as_at):
        return DateConfirmation.objects.entered_late(as_at, actions=self.actions)

    def added_after(self, as_at):
        """Its actions added to their plan after `as_at`, which pages as at `as_at` leave
        out (ActionQuerySet.in_plan_on)."""
        actions = Action.objects.all() if self.actions is None else self.actions
        return actions.added_after(as_at)

    def added_listed(self, as_at):
        """added_after, as the late-entries listing shows them: most recently added first,
        each with its plan and who added it (its first history entry's user, as
        `added_by_first_name`, `added_by_last_name` and `added_by_username`; None if not
        recorded). One query."""
        first_entry = Action.history.filter(id=OuterRef("pk"), history_type="+").order_by(
            "history_id"
        )
        return (
            self.added_after(as_at)
            .select_related("theme__plan")
            .annotate(
                **{
                    f"added_by_{field}": Subquery(first_entry.values(f"history_user__{field}")[:1])
                    for field in ("first_name", "last_name", "username")
                }
            )
            .order_by("-added_on", "theme__plan_id", "theme__position", "position")
        )

    def moved_late(self, as_at):
        """Its actions given another lead or theme after `as_at` (moved_late), with, on a
        lead's or theme's page, those moved away from it since."""
        if self.kind == "every plan":
            return moved_late(as_at)
        away = {"lead": "lead_id_before", "theme": "theme_id_before"}.get(self.kind)
        return moved_late(as_at, self.actions, **({away: self.thing.pk} if away else {}))

    def support_changed_late(self, as_at):
        """On a lead's page, the actions they were made a supporting lead of, or stopped
        being one of, after `as_at` (support_changed_late); none elsewhere."""
        return support_changed_late(as_at, self.thing) if self.kind == "lead" else []

    def timeframe_changes_late(self, as_at):
        return timeframe_changes_late(as_at, actions=self.actions)

    def timeframe_changes_late_count(self, as_at):
        return timeframe_changes_late_count(as_at, actions=self.actions)


EVERY_PLAN = About("every plan", None)


def about_in_link(params):
    """The action, theme or lead a listing's link names (?action=, ?theme=, ?lead=), and the
    words for a number there is no such row for; (None, "") if it names none of them."""
    from themes.models import Theme

    for kind, model in (
        ("action", Action.objects.select_related("theme__plan")),
        ("theme", Theme.objects.select_related("plan")),
        ("lead", Lead.objects.all()),
    ):
        if kind not in params:
            continue
        found = model.filter(pk=plain_number(params[kind]) or 0).first()
        if found is None:
            return None, f"There is no {kind} numbered “{params[kind][:40]}” in the link"
        return About(kind, found), ""
    return None, ""


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


def _late_moment(as_at):
    """When an entry for `as_at` is late: after the day ends; None for today or later
    (nothing is entered after today, and 31-12-9999 has no end)."""
    return end_of_day(as_at) if as_at < timezone.localdate() else None


def timeframe_changes_late(as_at, actions=None):
    """timeframe_changes_since the end of the `as_at` day: beside
    ProgressUpdate.entered_late, what has changed the position as at `as_at` since the day."""
    moment = _late_moment(as_at)
    return [] if moment is None else timeframe_changes_since(moment, actions)


def timeframe_changes_late_count(as_at, actions=None):
    moment = _late_moment(as_at)
    return 0 if moment is None else timeframe_changes_count(moment, actions)


def correction_words(record):
    """What a correction changed that a position reads, in words: "Status: Complete → In
    progress; RAG: not rated → Red"; "Deleted" for a deleted update."""
    from .models import RAG, Status

    if record.history_type == "-":
        return "Deleted"

    def status(value):
        return Status(value).label if value in Status.values else value

    def rag(value):
        return RAG(value).label if value in RAG.values else "not rated"

    def day(value):
        return f"{value:%-d %B %Y}" if value else "none"

    words = []
    for label, field, say in (
        ("Action", "action_id", str),
        ("Reports on", "reported_on", day),
        ("Status", "status", status),
        ("RAG", "rag", rag),
        ("Revised due date", "revised_due_on", day),
    ):
        was, now = getattr(record, f"{field}_before"), getattr(record, field)
        if was != now:
            words.append(f"{label}: {say(was)} → {say(now)}")
    return "; ".join(words)
