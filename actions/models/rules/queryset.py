"""The as-at rules over many actions (ActionQuerySet): each action's state as at a date, and
the lists, counts and orders built on it."""

from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_cte import CTE, with_cte

from .choices import AT_RISK_RAGS, FINISHED, RAG, Status
from .due import _may_be_due_before, effective_due_on, original_due_on
from .expressions import SEARCHED_UPDATES, _joins_made_lateral, _kept_or_searched, _Settled
from .known import NEWEST_FIRST, known, quarter_start, update_window, warning_window
from .permissions import may_record_updates
from .position import _COUNTED, NO_CONCERNS, _partition_counts


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


class ActionQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, theme_name, position):
        return self.get(theme__plan__slug=plan_slug, theme__name=theme_name, position=position)

    def involving(self, user):
        """Actions the user leads or supports, or is a delegate on for a lead or supporting
        lead."""
        from ..action import Action
        from ..leads import Lead

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
        return [row["answers"] for row in self.source_rows()]

    def source_rows(self):
        """The query of sources(): each as a row {"answers": source}."""
        return self.exclude(answers="").order_by("answers").values("answers").distinct()

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
        from ..progress import ProgressUpdate

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
