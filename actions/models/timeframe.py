from datetime import date

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import pre_save
from django.dispatch import receiver
from simple_history.manager import HistoricalQuerySet

from actions.timeframes import TimeframeError, parse_timeframe
from cypeplan.history import HistoryOfChanges


class TimeframeQuerySet(models.QuerySet):
    def get_by_natural_key(self, label):
        return self.get(label=label)


class TimeframeHistoryQuerySet(HistoricalQuerySet):
    def words_changed_since(self, moment, actions=None):
        """Records of a timeframe given other words on its own page after `moment` (of the
        timeframes the `actions` queryset has, or all), each with the words it had before
        (`label_before`; `label` is the words after): every action it times moves with it,
        and every rule reads an action's timeframe as it is now."""
        from .action import unindexed

        earlier = self.model.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        changed = (
            self.filter(history_date__gt=moment, history_type="~")
            .annotate(label_before=Subquery(earlier.values("label")[:1]))
            .filter(~Q(label_before=F("label")), label_before__isnull=False)
        )
        if actions is None:
            return changed
        # From the few records written since, as Action.history.timeframe_changed_since.
        return changed.alias(_of_timeframe=unindexed("id")).filter(
            _of_timeframe__in=actions.values("timeframe_id")
        )


class Timeframe(models.Model):
    """When something is due, as the plan words it, and the dates those words mean.

    Only the label is entered; the dates are worked out from it on every save by
    actions.timeframes.parse_timeframe, so they can never disagree with the words.
    """

    label = models.CharField(
        max_length=200,
        unique=True,
        help_text="Exactly as the plan writes it, e.g. “March 2023”, “Ongoing”, “30/09/21 (TBC)”.",
    )
    starts_on = models.DateField(null=True, blank=True, editable=False)
    due_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Empty when the timeframe is ongoing: never overdue.",
    )
    milestones = models.JSONField(default=list, blank=True, editable=False)
    is_ongoing = models.BooleanField(default=False, editable=False)
    qualifier = models.CharField(max_length=200, blank=True, editable=False)
    to_be_confirmed = models.BooleanField(
        "date to be confirmed",
        default=False,
        help_text="Brought in although the label names a date that does not exist or that "
        "can’t be read: kept as written, with no due date, until a person confirms the date "
        "for each action.",
    )
    problem = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="Why the label can’t be read as dates, in the parser’s words.",
    )
    history = HistoryOfChanges(
        historical_queryset=TimeframeHistoryQuerySet, changes_index="timeframe_history_changes"
    )

    objects = TimeframeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "label"]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.label,)

    def clean(self):
        if self.to_be_confirmed:
            return
        try:
            parse_timeframe(self.label)
        except TimeframeError as error:
            raise TimeframeError({"label": error.messages}) from error

    @property
    def milestone_dates(self):
        return [date.fromisoformat(value) for value in self.milestones]

    def apply_label(self):
        """Set the dates from the label; raises TimeframeError if the label can't be read,
        unless the timeframe is marked to be confirmed: then it keeps no dates and the
        parser's message."""
        try:
            parsed = parse_timeframe(self.label)
        except TimeframeError as error:
            if not self.to_be_confirmed:
                raise
            self.starts_on = self.due_on = None
            self.milestones, self.is_ongoing, self.qualifier = [], False, ""
            self.problem = " ".join(error.messages)
            return
        # A label that reads cleanly has nothing left to confirm.
        self.to_be_confirmed, self.problem = False, ""
        self.starts_on = parsed.starts_on
        self.due_on = parsed.due_on
        self.milestones = [milestone.isoformat() for milestone in parsed.milestones]
        self.is_ongoing = parsed.is_ongoing
        self.qualifier = parsed.qualifier


@receiver(pre_save, sender=Timeframe)
def timeframe_dates_from_label(sender, instance, raw, **kwargs):
    """Fixtures (raw saves) skip save() and clean(), so the dates are derived here.

    A label that can't be read stops the save with ValueError, which loaddata reports
    with the record and rolls the whole fixture back, unless the row says
    "to_be_confirmed": true (a person chose to bring it in for someone to confirm).
    """
    try:
        instance.apply_label()
    except TimeframeError as error:
        raise ValueError(" ".join(error.messages)) from error
