"""The as-at rules of DOMAIN.md, over many actions (ActionQuerySet) and one (ActionState)."""

import weakref
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.datastructures import Join
from django.utils import timezone
from django_cte import CTE, with_cte

if TYPE_CHECKING:
    from .progress import ProgressUpdate


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IN_CONSULTATION = "in_consultation", "In consultation"
    ON_HOLD = "on_hold", "On hold"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed / superseded"


# A complete or closed action is finished: neither overdue, at risk nor stale.
FINISHED = (Status.COMPLETE, Status.CLOSED)


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


AT_RISK_RAGS = (RAG.RED, RAG.AMBER)


def rag_words(status, rag):
    """The RAG as people read it: a complete or closed action shows its status rather than
    a colour; an unrated one says "Not rated". Always a word, never colour alone."""
    if status in FINISHED:
        return Status(status).label
    return RAG(rag).label if rag else "Not rated"


def update_window():
    """How long an action may go without a progress update before it is stale."""
    return timedelta(days=settings.UPDATE_WINDOW_DAYS)


def quarter_start(as_at):
    """The first day of the quarter `as_at` falls in (quarters start in January, April,
    July and October, so they are the council's financial quarters too)."""
    return date(as_at.year, (as_at.month - 1) // 3 * 3 + 1, 1)


def warning_window():
    """How far ahead a not-started action's due date makes it at risk."""
    return timedelta(days=settings.WARNING_WINDOW_DAYS)


# The latest position is the update with the latest report date; on a tie, the one
# entered last. NEWEST_FIRST orders updates so; newest_key ranks them in Python.
NEWEST_FIRST = ("-reported_on", "-pk")


def newest_key(update):
    return (update.reported_on, update.pk)


def known(as_at, known_at=None):
    """The updates a position as at `as_at` stands on: reported on or before `as_at` and, when
    `known_at` is given, entered at or before that moment (what the system said then).
    Every as-at rule reads progress updates through this one condition."""
    condition = Q(reported_on__lte=as_at)
    if known_at is not None:
        condition &= Q(entered_at__lte=known_at)
    return condition


def end_of_day(day):
    """The moment `day` ends in the council's time zone: the first moment of the next day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def is_known(update, as_at, known_at=None):
    """`known` for one update, in Python."""
    return update.reported_on <= as_at and (known_at is None or update.entered_at <= known_at)


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
    from .progress import ProgressUpdate

    revised_before = ProgressUpdate.objects.filter(
        known(as_at, known_at), action=OuterRef("pk"), revised_due_on__lt=as_at
    )
    return (
        Q(timeframe__due_on__lt=as_at) | Q(timeframe__to_be_confirmed=True) | Exists(revised_before)
    )


# No concerns: none of these with_state flags holds. Never called "on track" nor shown in
# green: Green is the officer's rating, not ours (an unrated action can have no concerns).
CONCERN_FLAGS = ("is_finished", "is_overdue", "is_at_risk")
NO_CONCERNS = Q(**dict.fromkeys(CONCERN_FLAGS, False))


def has_no_concerns(position):
    """NO_CONCERNS for one row annotated by with_state, or one ActionState."""
    return not any(getattr(position, flag) for flag in CONCERN_FLAGS)


def _exception_rank():
    """How urgently an action needs attention, for ordering: overdue, then at risk by
    reason (Red, Amber, due soon and not started, no recent update), then due an update
    this quarter, then the rest."""
    return Case(
        When(is_overdue=True, then=Value(0)),
        When(is_at_risk=True, latest_rag=RAG.RED, then=Value(1)),
        When(is_at_risk=True, latest_rag=RAG.AMBER, then=Value(2)),
        When(is_due_soon_not_started=True, then=Value(3)),
        When(is_at_risk=True, then=Value(4)),
        When(Q(is_stale=True) | Q(is_due_update=True), then=Value(5)),
        default=Value(6),
    )


def _reads_newest_kept(as_at, known_at):
    """Whether with_state reads the kept newest updates (as at today or later, everything
    known now: nearly every update is on or before the date, so few are searched for) or
    searches the updates (a past date, or as known at a moment)."""
    return known_at is None and as_at >= timezone.localdate()


class _LatestKnown(Expression):
    """A column of each action's latest update reported on or before `as_at` (of those that
    revised the due date, with `revising`): known() and NEWEST_FIRST as one correlated SQL
    subquery, for the few actions with_state can't read from their kept newest update.
    Written as SQL, not a Subquery, because Django copies and resolves a Subquery's whole
    query everywhere the field is read (dozens of times per with_state query)."""

    def __init__(self, column, as_at, *, revising=False):
        super().__init__()
        self.column, self.as_at, self.revising = column, as_at, revising

    def __repr__(self):
        return f"{self.__class__.__name__}({self.column!r}, {self.as_at!r})"

    @property
    def output_field(self):
        from .progress import ProgressUpdate

        return ProgressUpdate._meta.get_field(self.column)

    def as_sql(self, compiler, connection):
        from .progress import ProgressUpdate

        quote = connection.ops.quote_name
        action = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        revising = " AND u.revised_due_on IS NOT NULL" if self.revising else ""
        # The rule's own order, as SQL.
        newest_first = _order_sql(ProgressUpdate._meta, NEWEST_FIRST, "u", quote)
        sql = (
            f"(SELECT u.{quote(self.column)} FROM {quote(ProgressUpdate._meta.db_table)} u "
            f"WHERE u.action_id = {action}.{quote('id')} AND u.reported_on <= %s{revising} "
            f"ORDER BY {newest_first} LIMIT 1)"
        )
        return sql, (connection.ops.adapt_datefield_value(self.as_at),)


def _order_sql(opts, ordering, alias, quote):
    """An ordering of field names ("-reported_on", "-pk") as SQL over the table `alias`."""
    terms = []
    for name in ordering:
        bare = name.lstrip("-")
        field = opts.pk if bare == "pk" else opts.get_field(bare)
        terms.append(f"{alias}.{quote(field.column)} {'DESC' if name != bare else 'ASC'}")
    return ", ".join(terms)


class _LatestConfirmed(Expression):
    """The date last confirmed for each action itself (not one of its steps) for the words
    its timeframe has now, entered by `known_at` if given: the newest DateConfirmation
    with the timeframe's label, as one correlated SQL subquery.
    Written as SQL, not a Subquery, for the reason _LatestKnown is: every flag that reads
    the due date would otherwise carry, copy and resolve a Query of its own."""

    output_field = models.DateField()

    def __init__(self, known_at=None):
        super().__init__()
        self.known_at = known_at

    def __repr__(self):
        return f"{self.__class__.__name__}({self.known_at!r})"

    def as_sql(self, compiler, connection):
        from .action import Action
        from .confirmation import DateConfirmation
        from .timeframe import Timeframe

        quote = connection.ops.quote_name
        opts = DateConfirmation._meta
        action = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        column = {
            name: quote(opts.get_field(name).column)
            for name in ("action", "sub_step", "entered_at", "confirmed_on", "timeframe_label")
        }
        timeframe = Timeframe._meta
        words = (
            f"(SELECT t.{quote(timeframe.get_field('label').column)} "
            f"FROM {quote(timeframe.db_table)} t WHERE t.{quote(timeframe.pk.column)} = "
            f"{action}.{quote(Action._meta.get_field('timeframe').column)})"
        )
        entered_by, params = "", ()
        if self.known_at is not None:
            entered_by = f" AND c.{column['entered_at']} <= %s"
            params = (connection.ops.adapt_datetimefield_value(self.known_at),)
        sql = (
            f"(SELECT c.{column['confirmed_on']} FROM {quote(opts.db_table)} c "
            f"WHERE c.{column['action']} = {action}.{quote('id')} "
            f"AND c.{column['sub_step']} IS NULL "
            f"AND c.{column['timeframe_label']} = {words}{entered_by} "
            # The newest confirmation first, as the model orders them.
            f"ORDER BY {_order_sql(opts, opts.ordering, 'c', quote)} LIMIT 1)"
        )
        return sql, params


class _Settled(Func):
    """A field or flag of with_state, resolved once. Django resolves the left side of every
    lookup again as it compiles it (Lookup.process_lhs), and each flag holds the fields it
    reads, so the state's expressions were copied and resolved again at every level: 25 ms
    to compile an exception list's query. Resolving a resolved expression that holds no
    Query only copies it, so a settled one gives itself back; and being one object
    wherever the query reads it, it is written as SQL once per compiler."""

    template = "%(expressions)s"
    settled = False

    def resolve_expression(self, *args, **kwargs):
        if self.settled:
            return self
        resolved = super().resolve_expression(*args, **kwargs)
        resolved.settled = not _holds_a_query(resolved)
        return resolved

    def as_sql(self, compiler, connection, **extra):
        # Settled, it is one object wherever the query reads it (a flag holds the very
        # fields it reads), so each compiler writes its SQL once. The compiler is held
        # weakly: a copy made for another query is compiled by that query's compiler.
        if not self.settled:
            return super().as_sql(compiler, connection, **extra)
        written = self.__dict__.get("_written")
        if written is None or written[0]() is not compiler:
            written = (weakref.ref(compiler), *super().as_sql(compiler, connection, **extra))
            self._written = written
        return written[1], list(written[2])

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_written", None)
        return state


def _holds_a_query(expression):
    """Whether a resolved expression holds a Query (a Subquery, Exists, ...) anywhere in it,
    conditions included: re-resolving one gives it new aliases, so it is never settled."""
    if isinstance(expression, Query) or hasattr(expression, "query"):
        return True
    if hasattr(expression, "children"):  # a WhereNode: its lookups' sides
        return any(
            _holds_a_query(side)
            for child in expression.children
            for side in (
                (child,)
                if hasattr(child, "children")
                else (getattr(child, "lhs", None), getattr(child, "rhs", None))
            )
            if side is not None
        )
    if not hasattr(expression, "get_source_expressions"):
        return False
    return any(
        _holds_a_query(source)
        for source in expression.get_source_expressions()
        if source is not None
    )


class _LateralJoin(Join):
    """The join of a searched update (with_state's latest_update or due_revision) written,
    on PostgreSQL, as a LATERAL subquery that reads each action's update where the pick
    finds it: the newest known for that action, by update_latest_as_at (or
    update_revision_as_at), LIMIT 1. As a plain join on the picked key, PostgreSQL's
    planner hashes every update in the database and tests the pick on each, so a past
    date's dashboard grew with all the updates ever entered, in every plan; a LATERAL
    subquery on the picked key still found each update twice (pick, then fetch by key:
    29 ms at 10,000 actions against 16). Other databases get the plain join, which SQLite
    already probes by key. Same rows every way."""

    @classmethod
    def replacing(cls, join):
        return cls(
            join.table_name,
            join.parent_alias,
            join.table_alias,
            join.join_type,
            join.join_field,
            join.nullable,
            filtered_relation=join.filtered_relation,
        )

    @property
    def identity(self):
        # Equal to the plain join it replaces, so a later reference to the same relation
        # (e.g. latest_update_fields) reuses this join rather than adding another.
        return (Join, *super().identity[1:])

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        # The pick (with_state's Subquery, resolved and relabelled with this query) with
        # every column of the update instead of its key: the update itself.
        pick = _subquery_in(self.filtered_relation.resolved_condition)
        if pick is None:
            raise ValueError(f"{self.table_alias} is joined on no picked update.")
        update = pick.copy()
        update.query.clear_select_clause()
        update.query.default_cols = True
        sql, params = compiler.compile(update)
        alias = compiler.quote_name_unless_alias(self.table_alias)
        return f"{self.join_type} LATERAL {sql} {alias} ON TRUE", params


def _subquery_in(condition):
    """The Subquery a FilteredRelation's resolved condition compares the key with."""
    for child in condition.children:
        if isinstance(getattr(child, "rhs", None), Subquery):
            return child.rhs
        if hasattr(child, "children") and (found := _subquery_in(child)) is not None:
            return found
    return None


# The FilteredRelations through which with_state searches for the latest updates.
SEARCHED_UPDATES = ("latest_update", "due_revision")


def _joins_made_lateral(queryset, relation_names):
    """The queryset with the joins of these FilteredRelations as _LateralJoin."""
    alias_map = queryset.query.alias_map
    for alias, join in list(alias_map.items()):
        relation = getattr(join, "filtered_relation", None)
        if type(join) is Join and relation is not None and relation.alias in relation_names:
            alias_map[alias] = _LateralJoin.replacing(join)
    return queryset


def _kept_or_searched(as_at, kept_field, column, *, revising=False):
    """A field of each action's latest update as at `as_at`, read from its kept newest update
    (NewestUpdate's `kept_field`) when that update is reported on or before `as_at`, since
    it is then the latest (it is the newest of all; so is its newest revision); nothing for
    an action with no kept row, which has no update; else searched for (`column`)."""
    return Case(
        When(newest_update__reported_on__lte=as_at, then=F(f"newest_update__{kept_field}")),
        When(newest_update__isnull=True, then=Value(None)),
        default=_LatestKnown(column, as_at, revising=revising),
    )


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


# The long text of an action, its theme, plan and timeframe that no list of actions shows
# (ActionQuerySet.listed).
_UNLISTED = (
    "expected_outcome",
    "performance_measures",
    "delivered_through",
    "theme__description",
    "theme__performance_measures",
    "theme__plan__vision",
    "theme__plan__values",
    "theme__plan__priorities",
    "timeframe__milestones",
)


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False))


# Recording a progress update: plan administrators and officers hold it, scrutiny doesn't.
RECORD_UPDATES = "actions.add_progressupdate"


def may_record_updates(user):
    """Whether `user` may record progress on the actions they lead, support or are a
    delegate on: signed in, active, and a superuser or given permission to add progress
    updates, directly or by a group."""
    return user.is_authenticated and user.has_perm(RECORD_UPDATES)


def people_who_may_record_updates():
    """The accounts may_record_updates allows, in one query."""
    return people_with_permission(RECORD_UPDATES)


def people_with_permission(perm):
    """The active accounts `user.has_perm(perm)` allows, in one query: what each
    authentication backend that can list them (Django's ModelBackend) says."""
    users = get_user_model()._default_manager.none()
    for backend in auth.get_backends():
        if hasattr(backend, "with_perm"):
            users |= backend.with_perm(perm)
    return users


class ActionQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, theme_name, position):
        return self.get(theme__plan__slug=plan_slug, theme__name=theme_name, position=position)

    def involving(self, user):
        """Actions the user leads or supports, or is a delegate on for a lead or supporting
        lead."""
        from .action import Action
        from .leads import Lead

        leads = Lead.objects.filter(Q(user=user) | Q(delegates=user)).values("pk")
        supported = Action.supporting_leads.through.objects.filter(lead__in=leads)
        return self.filter(Q(lead__in=leads) | Q(pk__in=supported.values("action_id")))

    def of_lead(self, lead):
        """Actions `lead` leads or supports."""
        return self.filter(Q(lead=lead) | Q(pk__in=lead.supported_actions.values("pk")))

    def in_plan_on(self, as_at):
        """Actions in their plan on `as_at`: those it was loaded with, and those added to it
        (added_on) on or before `as_at`. A page as at an earlier date leaves the rest out."""
        return self.filter(Q(added_on__isnull=True) | Q(added_on__lte=as_at))

    def added_after(self, as_at):
        """Actions added to their plan after `as_at`: those in_plan_on leaves out."""
        return self.filter(added_on__gt=as_at)

    def sources(self):
        """The recommendations or sources these actions answer ("Ofsted ILACS
        recommendation"), each once, in alphabetical order."""
        answered = self.exclude(answers="").order_by("answers")
        return list(answered.values_list("answers", flat=True).distinct())

    def listed(self):
        """These actions as a list's rows read them: with their theme, plan, lead and
        timeframe, but without the long text only an action's, theme's or plan's own page
        shows. A list works out and sorts every matching row before it picks the page it
        shows (its length comes from the same query), so each column read is copied for
        every row: leaving these out made the at-risk list's query at 10,000 actions 15%
        faster on SQLite and 8% on PostgreSQL."""
        return self.select_related("theme__plan", "lead", "timeframe").defer(*_UNLISTED)

    def updatable_by(self, user):
        """Actions the user may record progress on: any, for a plan administrator; those they
        lead, support or are a delegate on, for an officer; none, for a scrutiny member or
        anyone without permission to add progress updates."""
        if not may_record_updates(user):
            return self.none()
        if user.has_perm("actions.change_action"):
            return self
        return self.involving(user)

    def with_state(self, as_at, known_at=None):
        """Each action's position as at `as_at`: its latest progress update reported on or
        before `as_at` (and, when `known_at` is given, entered by that moment), its effective
        due date (due_on; original_due_on is the timeframe's, revised_due_reason and
        due_revised_on say why and from when), and the flags derived from them: is_finished,
        is_overdue, is_stale, is_due_soon, is_due_soon_not_started, is_due_update, is_at_risk.

        Ties on report date go to the update entered last. An action with no update yet
        counts as Not started, with no RAG.
        """
        marker = self.query.annotations.get("state_as_at")
        if marker is not None:
            held = (marker.value, self.query.annotations["state_known_at"].value)
            if held != (as_at, known_at):
                raise ValueError(
                    "This queryset already holds the state as at another date "
                    "or as known at another moment."
                )
            return self

        if _reads_newest_kept(as_at, known_at):
            queryset, position = self._newest_kept(as_at)
        else:
            queryset, position = self._newest_searched(as_at, known_at)
        finished = Q(latest_status__in=FINISHED)
        stale = ~finished & Q(last_touched_on__lt=as_at - update_window())
        due_soon = ~finished & Q(due_on__gte=as_at, due_on__lte=as_at + warning_window())
        due_soon_not_started = due_soon & Q(latest_status=Status.NOT_STARTED)
        fields = {
            "latest_update_id": position["update_id"],
            "latest_status": Coalesce(position["status"], Value(Status.NOT_STARTED)),
            "latest_rag": Coalesce(position["rag"], Value("")),
            "latest_reported_on": position["reported_on"],
            "original_due_on": original_due_on(known_at),
            "due_on": effective_due_on(position["revised_due_on"], known_at),
            "revised_due_reason": position["revised_due_reason"],
            "due_revised_on": position["due_revised_on"],
        }
        flags = {
            "is_finished": _flag(finished),
            "is_overdue": _flag(~finished & Q(due_on__lt=as_at)),
            "is_stale": _flag(stale),
            "is_due_soon": _flag(due_soon),
            "is_due_soon_not_started": _flag(due_soon_not_started),
            "is_due_update": _flag(
                ~finished
                & (
                    Q(latest_reported_on__isnull=True)
                    | Q(latest_reported_on__lt=quarter_start(as_at))
                )
            ),
            "is_at_risk": _flag(
                ~finished & Q(latest_rag__in=AT_RISK_RAGS) | due_soon_not_started | stale
            ),
        }
        queryset = (
            queryset.annotate(
                state_as_at=Value(as_at, output_field=models.DateField()),
                state_known_at=Value(known_at, output_field=models.DateTimeField()),
                **{name: _Settled(field) for name, field in fields.items()},
            )
            # A never-updated action is judged from the day its plan started running.
            .alias(
                last_touched_on=_Settled(
                    Coalesce(F("latest_reported_on"), F("theme__plan__starts_on"))
                )
            )
            .annotate(**{name: _Settled(flag) for name, flag in flags.items()})
        )
        return _joins_made_lateral(queryset, SEARCHED_UPDATES)

    def _newest_searched(self, as_at, known_at):
        """The latest known update, and the latest that revised the due date, picked once
        per action (one index probe each) and joined: every field and flag reads the joined
        rows, so no subquery is repeated per flag, count or grouping. Right at any date and
        moment."""
        from .progress import ProgressUpdate

        updates = ProgressUpdate.objects.filter(
            known(as_at, known_at), action=OuterRef("pk")
        ).order_by(*NEWEST_FIRST)
        latest = Subquery(updates.values("pk")[:1])
        revision = Subquery(updates.filter(revised_due_on__isnull=False).values("pk")[:1])
        queryset = self.alias(
            state_reads_kept=Value(False),
            latest_update=FilteredRelation(
                "progress_updates", condition=Q(progress_updates__pk=latest)
            ),
            due_revision=FilteredRelation(
                "progress_updates", condition=Q(progress_updates__pk=revision)
            ),
        )
        return queryset, {
            "update_id": F("latest_update__pk"),
            "status": F("latest_update__status"),
            "rag": F("latest_update__rag"),
            "reported_on": F("latest_update__reported_on"),
            "revised_due_on": F("due_revision__revised_due_on"),
            "revised_due_reason": F("due_revision__revised_due_reason"),
            "due_revised_on": F("due_revision__reported_on"),
        }

    def _newest_kept(self, as_at):
        """The same fields from each action's kept newest update (_kept_or_searched): right
        at any date, but for all updates known now only (no `known_at`)."""
        fields = {
            "update_id": ("update_id", "id"),
            "status": ("status", "status"),
            "rag": ("rag", "rag"),
            "reported_on": ("reported_on", "reported_on"),
        }
        revision_fields = {
            "revised_due_on": ("revised_due_on", "revised_due_on"),
            "revised_due_reason": ("revised_due_reason", "revised_due_reason"),
            "due_revised_on": ("due_revised_on", "reported_on"),
        }
        return self.alias(state_reads_kept=Value(True)), {
            **{name: _kept_or_searched(as_at, *kept) for name, kept in fields.items()},
            **{
                name: _kept_or_searched(as_at, *kept, revising=True)
                for name, kept in revision_fields.items()
            },
        }

    def latest_update_fields(self, fields):
        """{field: expression} for these fields of each action's latest update (as with_state
        found it, so call with_state first), e.g. for a download's narratives."""
        reads_kept = self.query.annotations.get("state_reads_kept")
        if reads_kept is None:
            raise ValueError("Ask for the state (with_state) before its latest update's fields.")
        if not reads_kept.value:
            return {field: F(f"latest_update__{field}") for field in fields}
        as_at = self.query.annotations["state_as_at"].value
        return {field: _kept_or_searched(as_at, f"update__{field}", field) for field in fields}

    def overdue(self, as_at, known_at=None):
        """Due before `as_at` and not complete or closed as at `as_at`."""
        return (
            self.filter(_may_be_due_before(as_at, known_at))
            .with_state(as_at, known_at)
            .filter(is_overdue=True)
        )

    def stale(self, as_at, known_at=None):
        """Not finished, and no progress update in the update window before `as_at` (for a
        never-updated action, its plan has been running for the update window)."""
        return self.with_state(as_at, known_at).filter(is_stale=True)

    def due_soon(self, as_at, known_at=None):
        """Not finished, and due between `as_at` and the end of the warning window."""
        return self.with_state(as_at, known_at).filter(is_due_soon=True)

    def needing_update(self, as_at, known_at=None):
        """Overdue, at risk (stale included) or due soon: what an update reminder lists."""
        return self.with_state(as_at, known_at).filter(
            Q(is_overdue=True) | Q(is_at_risk=True) | Q(is_due_soon=True)
        )

    def due_soon_not_started(self, as_at, known_at=None):
        """Not started, and due between `as_at` and the end of the warning window."""
        return self.with_state(as_at, known_at).filter(is_due_soon_not_started=True)

    def at_risk(self, as_at, known_at=None):
        """Not finished, and latest RAG Red or Amber, or due soon and not started, or stale."""
        return self.with_state(as_at, known_at).filter(is_at_risk=True)

    def complete(self, as_at, known_at=None):
        """Latest status as at `as_at` is Complete."""
        return self.with_state(as_at, known_at).filter(latest_status=Status.COMPLETE)

    def finished(self, as_at, known_at=None):
        """Complete or closed as at `as_at`."""
        return self.with_state(as_at, known_at).filter(is_finished=True)

    def at_risk_not_overdue(self, as_at, known_at=None):
        """At risk as at `as_at`, and not overdue."""
        return self.with_state(as_at, known_at).filter(is_at_risk=True, is_overdue=False)

    def no_concerns(self, as_at, known_at=None):
        """Not finished, not overdue and not at risk as at `as_at`."""
        return self.with_state(as_at, known_at).filter(NO_CONCERNS)

    def counts(self, as_at, known_at=None):
        """How many of these actions are in each part of the partition (complete_or_closed,
        overdue, at_risk_not_overdue, no_concerns: each action in exactly one, so they add
        up to total), and across it: stale, at_risk (overdue or not) and complete."""
        return self._states(as_at, known_at).aggregate(**_partition_counts())

    def rag_by_theme(self, as_at, known_at=None):
        """Per theme, how many unfinished actions are Red, Amber, Green or not yet rated, and
        how many are complete or closed, as at `as_at`; with each theme's counts() too, so
        one grouped query answers a dashboard (add them up with counts_from_themes)."""
        from themes.models import Theme

        unfinished = Q(is_finished=False)
        states = self._states_expression(as_at, known_at, "theme_id")
        # Counted by theme id, then named: grouping every action by its theme's name and
        # position sorted every row by text, for eight groups.
        counts = {
            "red": Count("pk", filter=unfinished & Q(latest_rag=RAG.RED)),
            "amber": Count("pk", filter=unfinished & Q(latest_rag=RAG.AMBER)),
            "green": Count("pk", filter=unfinished & Q(latest_rag=RAG.GREEN)),
            "not_rated": Count("pk", filter=unfinished & Q(latest_rag="")),
            "closed": Count("pk", filter=Q(latest_status=Status.CLOSED)),
            **_partition_counts(),
        }
        counted = CTE(
            states.queryset().values("theme_id").annotate(**counts).order_by(),
            name="theme_counts",
        )
        return (
            with_cte(states, counted, select=counted.join(Theme, id=counted.col.theme_id))
            .values(
                theme_id=F("id"),
                theme__name=F("name"),
                theme__position=F("position"),
                **{name: getattr(counted.col, name) for name in counts},
            )
            .order_by("position", "name")
        )

    def _states_expression(self, as_at, known_at, *fields):
        """The materialised common table expression of _states."""
        return CTE(
            self.with_state(as_at, known_at).order_by().values("pk", *fields, *_COUNTED),
            name="action_state",
            materialized=True,
        )

    def _states(self, as_at, known_at, *fields):
        """These actions' state as at `as_at` (their id, these fields and what the counts
        read), worked out once per action in a materialised common table expression, for
        counts and groupings to read: written inline, each count would restate the flags it
        reads, and each flag the fields it reads (every count, every flag and every field
        again per action, on SQLite; and the query takes longer to compile)."""
        states = self._states_expression(as_at, known_at, *fields)
        return with_cte(states, select=states.queryset()).order_by()

    def due_an_update(self, as_at, known_at=None):
        """Not finished, and no progress update reported since the quarter began."""
        return self.with_state(as_at, known_at).filter(is_due_update=True)

    def exceptions_first(self, as_at, known_at=None, *, within=()):
        """Overdue first, the longest overdue first; then at risk by reason (Red, Amber,
        due soon and not started, no recent update), the soonest due first; then due an
        update this quarter; then the rest. `within` orders by those fields first, for lists
        grouped by lead or theme."""
        return (
            self.with_state(as_at, known_at)
            .alias(exception_rank=_exception_rank())
            .order_by(
                *within,
                "exception_rank",
                F("due_on").asc(nulls_last=True),
                "theme__plan__name",
                "theme__position",
                "position",
            )
        )


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
