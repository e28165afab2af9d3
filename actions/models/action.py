from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from cypeplan.history import HistoryOfChanges
from themes.models import Theme

from .leads import Lead
from .rules import ActionQuerySet, ActionState, has_no_concerns
from .rules.position import (
    _days_overdue,
    _days_since_update,
    _exception_reasons,
    _risk_reasons,
)
from .timeframe import Timeframe


class ActionHistoryQuerySet(HistoricalQuerySet):
    def timeframe_changed_since(self, moment, actions=None):
        """Records of an action given other timeframe words (an import's correction, the
        admin's) after `moment`, of the `actions` queryset or every plan's, each with the
        timeframe it had before (`timeframe_id_before`; with_timeframe_words adds the words
        before and after): every rule reads
        an action's timeframe as it is now, so such a change moves the action's position as
        at any day, even as known at a moment before it."""
        # The record before, by the order they were written in (a bulk import writes many
        # with one moment).
        earlier = self.model.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        changed = (
            self.filter(history_date__gt=moment, history_type="~")
            .annotate(timeframe_id_before=Subquery(earlier.values("timeframe_id")[:1]))
            .filter(~Q(timeframe_id_before=F("timeframe_id")), timeframe_id_before__isnull=False)
        )
        if actions is None:
            return changed
        # Checked against the actions' ids as `+id`, which no index answers, so the planner
        # starts from the few records written since (the history_date index), not from every
        # record of each of the plan's actions (8 ms at 10,000 actions on SQLite, on every
        # page as at a past date): as ProgressUpdate.entered_late does.
        return changed.alias(_of_action=unindexed("id")).filter(_of_action__in=actions.values("pk"))

    def with_timeframe_words(self):
        """timeframe_changed_since's records with the words each had before
        (`timeframe_before`) and after (`timeframe_after`), for a listing to show. Only the
        listing reads them: a count leaves them out, as building them into the query took
        about 7 ms on every page as at a past date."""
        return self.annotate(
            timeframe_before=_words_then("timeframe_id_before"),
            timeframe_after=_words_then("timeframe_id"),
        )

    def moved_since(self, moment):
        """Records of an action given another lead or theme after `moment` (in the admin, or
        by an import), each with the lead and theme it had before (`lead_id_before`,
        `theme_id_before`): every page shows an action under its lead and theme as they are
        now, so a page as at a day before such a record shows it where it was not then."""
        earlier = self.model.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        return (
            self.filter(history_date__gt=moment, history_type="~")
            .annotate(
                lead_id_before=Subquery(earlier.values("lead_id")[:1]),
                theme_id_before=Subquery(earlier.values("theme_id")[:1]),
            )
            .filter(
                ~Q(lead_id_before=F("lead_id")) | ~Q(theme_id_before=F("theme_id")),
                lead_id_before__isnull=False,
                theme_id_before__isnull=False,
            )
        )

    def support_changed_since(self, moment, lead):
        """Records of an action written after `moment` that made `lead` one of its supporting
        leads, or ended that (in the admin, or by an import: each record keeps the supporting
        leads the action had when it was written), each with whether `lead` supports it after
        the record (`supports`): every page shows an action's supporting leads as they are
        now, so a lead's page as at a day before such a record counts an action they did not
        support then, or leaves out one they did."""
        # The records that name `lead` as a supporting lead: few beside every record's, and
        # found by its index. Only an action with one of them can have such a record.
        named = self.model.supporting_leads.model.objects.filter(lead_id=lead.pk)
        earlier = self.model.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        supports = Q(history_id__in=named.values("history_id"))
        supported_before = Q(earlier_id__in=named.values("history_id"))
        return (
            self.filter(history_date__gt=moment, history_type="~", id__in=named.values("action_id"))
            .alias(earlier_id=Subquery(earlier.values("history_id")[:1]))
            .filter(
                (supports & ~supported_before) | (~supports & supported_before),
                earlier_id__isnull=False,
            )
            .annotate(supports=ExpressionWrapper(supports, output_field=models.BooleanField()))
        )


def added_on_for(plan, today):
    """The added_on of an action added to `plan` today: today once the plan has begun, so
    its pages as at an earlier date leave the action out; None before (in the plan from its
    start). Actions a plan is loaded or first imported with are in it from its start."""
    return today if today > plan.starts_on else None


def unindexed(field):
    """`field` written `+field`: the same value, but no index answers a condition on it."""
    return Func(F(field), template="+%(expressions)s", output_field=models.IntegerField())


def _words_then(timeframe_id):
    """The words of the timeframe in the action record's field `timeframe_id` as they read
    when the record was written (a shared timeframe's words may have changed since on its
    own page), or as they read now if the timeframe has no history that old."""
    then = (
        Timeframe.history.filter(
            id=OuterRef(timeframe_id), history_date__lte=OuterRef("history_date")
        )
        .order_by("-history_date", "-history_id")
        .values("label")[:1]
    )
    now = Timeframe.objects.filter(pk=OuterRef(timeframe_id)).values("label")[:1]
    return Coalesce(Subquery(then), Subquery(now))


class Action(models.Model):
    """Something a plan says will be done, by whom and when."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within the theme, as in the plan."
    )
    reference = models.CharField(
        max_length=20, blank=True, help_text="The plan's own number for it, e.g. 1.2."
    )
    description = models.TextField("action")
    expected_outcome = models.TextField("expected outcome or success measure", blank=True)
    lead = models.ForeignKey(
        Lead,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The one person accountable.",
    )
    supporting_leads = models.ManyToManyField(Lead, blank=True, related_name="supported_actions")
    timeframe = models.ForeignKey(Timeframe, on_delete=models.PROTECT, related_name="actions")
    answers = models.CharField(
        "recommendation or source it answers",
        max_length=300,
        blank=True,
        help_text="e.g. [Ofsted ILACS recommendation]",
    )
    performance_measures = models.TextField(blank=True, help_text="One measure per line.")
    delivered_through = models.TextField(
        blank=True, help_text="The service plan(s) it is delivered through."
    )
    added_on = models.DateField(
        "added to the plan on",
        null=True,
        blank=True,
        help_text="The day it was added to its plan, when that was after the plan began: "
        "pages as at an earlier date leave it out. Empty: in the plan from its start.",
    )
    history = HistoryOfChanges(
        m2m_fields=[supporting_leads],
        historical_queryset=ActionHistoryQuerySet,
        changes_index="action_history_changes",
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["theme__plan", "theme__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "position"],
                name="action_unique_position_in_theme",
                violation_error_message="Another action in this theme has this position: "
                "give each action its own.",
            ),
        ]
        indexes = [
            # A page as at a past date counts the actions added to its plan since
            # (ActionQuerySet.added_after): answered from this index alone, where reading
            # each of the plan's actions took 4.7 ms at 10,000 actions on SQLite.
            models.Index(fields=["theme", "added_on"], name="action_added_on_in_theme"),
        ]

    def __str__(self):
        text = self.description if len(self.description) <= 80 else self.description[:77] + "…"
        return f"{self.reference} {text}".strip()

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    def natural_key(self):
        return (*self.theme.natural_key(), self.position)

    natural_key.dependencies = ["themes.theme", "actions.lead", "actions.timeframe"]

    def clean(self):
        """An action with progress stays in its plan: its updates report on that plan's
        dates, and the plan's past positions count it. Moving it would take its history
        out of one plan's past and into another's."""
        if self.pk is None or not self.theme_id:
            return
        was = (
            type(self).objects.filter(pk=self.pk).values("theme__plan", "theme__plan__name").first()
        )
        if was and was["theme__plan"] != self.theme.plan_id and self.progress_updates.exists():
            raise ValidationError(
                {
                    "theme": f"This action has progress recorded in the "
                    f"{was['theme__plan__name']}, so it stays in that plan: choose one of "
                    f"that plan’s themes. If the work carries on in the "
                    f"{self.theme.plan.name}, close the action with an update and add it "
                    f"there as a new action."
                }
            )

    @property
    def plan(self):
        return self.theme.plan

    def in_plan_on(self, as_at):
        """ActionQuerySet.in_plan_on for this one action."""
        return self.added_on is None or self.added_on <= as_at

    @property
    def days_overdue(self):
        """Days past due as at the state's date; None unless annotated by with_state and
        overdue."""
        return _days_overdue(self)

    @property
    def days_since_update(self):
        """Days from the latest update to the state's date; None if never updated or not
        annotated by with_state."""
        return _days_since_update(self)

    @property
    def risk_reasons(self):
        """Why it is at risk, in words; needs the with_state annotations."""
        return _risk_reasons(self)

    @property
    def exception_reasons(self):
        """Why it is overdue or at risk, in words; needs the with_state annotations."""
        return _exception_reasons(self)

    @property
    def has_no_concerns(self):
        """Not finished, overdue or at risk; needs the with_state annotations."""
        return has_no_concerns(self)

    def may_be_updated_by(self, user):
        """Whether the user may record progress on this action: the same rule as
        ActionQuerySet.updatable_by, asked of the database for this one action."""
        return type(self).objects.updatable_by(user).filter(pk=self.pk).exists()

    def original_due_on(self, known_at=None):
        """The plan's own due date: rules.original_due_on for this one action. Asks the
        database only when the timeframe is to be confirmed."""
        if not self.timeframe.to_be_confirmed:
            return self.timeframe.due_on
        from .confirmation import DateConfirmation

        confirmed = DateConfirmation.objects.giving_action_dates(self, self.timeframe.label)
        if known_at is not None:
            confirmed = confirmed.filter(entered_at__lte=known_at)
        return (
            confirmed.order_by("-entered_at", "-pk").values_list("confirmed_on", flat=True).first()
        )

    def state(self, as_at, known_at=None):
        """The same rules as ActionQuerySet.with_state, for this one action.

        Reads self.progress_updates.all(), so prefetch it when calling this in a loop.
        """
        return ActionState.from_updates(
            as_at=as_at,
            known_at=known_at,
            updates=self.progress_updates.all(),
            original_due_on=self.original_due_on(known_at),
            plan_starts_on=self.theme.plan.starts_on,
        )


class SubStepQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_slug, theme_name, action_position, position):
        return self.get(
            action__theme__plan__slug=plan_slug,
            action__theme__name=theme_name,
            action__position=action_position,
            position=position,
        )

    def in_plan(self):
        """Steps the plan has now: not those an import left out, kept only because a
        person confirmed their date (left_plan_on)."""
        return self.filter(left_plan_on=None)


class SubStep(models.Model):
    """A step within an action that the plan gives its own line, and often its own date."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sub_steps")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    timeframe = models.ForeignKey(
        Timeframe, on_delete=models.PROTECT, null=True, blank=True, related_name="sub_steps"
    )
    left_plan_on = models.DateField(
        "left out of the plan on",
        null=True,
        blank=True,
        help_text="The day an import of the plan left this step out. It is kept, not "
        "deleted, because a person confirmed its date: who, when and why stay on record.",
    )
    history = HistoricalRecords()

    objects = SubStepQuerySet.as_manager()

    class Meta:
        ordering = ["action", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "position"],
                name="substep_unique_position_in_action",
                violation_error_message="Another step of this action has this position: "
                "give each step its own.",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def natural_key(self):
        return (*self.action.natural_key(), self.position)

    natural_key.dependencies = ["actions.action"]
