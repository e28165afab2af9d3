import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cypeplan.inputs import has_words

from .action import Action, SubStep, unindexed
from .rules import end_of_day


class DateConfirmationQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def giving_action_dates(self, action, words):
        """Those that can give `action` its date: confirmed for the action itself (not one
        of its steps) and for `words`, the words its timeframe has now; one confirmed for
        earlier words no longer applies (DateConfirmation.gives_date_to, for one row).
        `action` and `words` may be OuterRefs. The SQL rule is rules._LatestConfirmed."""
        return self.filter(action=action, sub_step=None, timeframe_label=words)

    def entered_since(self, moment, actions=None):
        """Entered after `moment` and giving their action its date now (confirmed for the
        action itself, for the words of its timeframe to be confirmed), of the `actions`
        queryset or every plan's: a due date confirmed since `moment` moves the position as
        at any day, so with_state(as_at) now differs from with_state(as_at, moment)."""
        since = self.filter(
            entered_at__gt=moment,
            sub_step=None,
            action__timeframe__to_be_confirmed=True,
            timeframe_label=models.F("action__timeframe__label"),
        )
        if actions is None:
            return since
        # As `+action_id`, which no index answers: SQLite then reads the few confirmations,
        # not every action of the plan first (6 ms at 10,000 actions, on every page as at a
        # past date), as ProgressUpdate.entered_late does.
        return since.alias(_of_action=unindexed("action_id")).filter(
            _of_action__in=actions.values("pk")
        )

    def entered_late(self, as_at, actions=None):
        """entered_since the end of the `as_at` day: beside ProgressUpdate.entered_late, what
        has changed the position as at `as_at` since the day itself."""
        if as_at >= timezone.localdate():
            return self.none()  # nothing is entered after today (and 31-12-9999 has no end)
        return self.entered_since(end_of_day(as_at), actions=actions)


class DateConfirmation(models.Model):
    """A person's answer to "when is this really due?" for one action (or one of its
    sub-steps) whose timeframe is to be confirmed.

    The plan's words stay as written; the newest confirmation gives the date. Timeframes
    are shared by every action that words its date the same way, so the answer belongs to
    the action, never to the timeframe. It answers for the words it confirmed: once an
    import gives the action other words, it no longer applies (and applies again if the
    words come back). History: added to, never edited.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="date_confirmations")
    sub_step = models.ForeignKey(
        SubStep,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="date_confirmations",
        help_text="Empty when the date confirmed is the action's own.",
    )
    timeframe_label = models.CharField(
        "timeframe confirmed",
        max_length=200,
        help_text="The timeframe as written when the date was confirmed, e.g. “31/09/21”.",
    )
    confirmed_on = models.DateField("confirmed due date")
    reason = models.TextField(
        "who confirmed it and why",
        max_length=2000,
        help_text="For example: “Confirmed with the Head of Service: the plan meant 30 "
        "September 2021.”",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="date_confirmations"
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DateConfirmationQuerySet.as_manager()

    class Meta:
        ordering = ["-entered_at", "-pk"]
        indexes = [models.Index(fields=["action", "sub_step", "entered_at"])]

    def __str__(self):
        return (
            f"{self.confirmed_on:%-d %B %Y}, "
            f"confirmed {timezone.localtime(self.entered_at):%-d %B %Y}"
        )

    def save(self, *args, **kwargs):
        # Written without the words it answers for: the timeframe's words as they are now,
        # the only ones it can be answering.
        if not self.timeframe_label and self.action_id:
            timeframe = (self.sub_step if self.sub_step_id else self.action).timeframe
            self.timeframe_label = timeframe.label if timeframe else ""
        super().save(*args, **kwargs)

    def natural_key(self):
        return (str(self.key),)

    natural_key.dependencies = ["actions.action", "actions.substep"]

    def gives_date_to(self, action):
        """Whether this confirmation can give `action` its date (giving_action_dates)."""
        return (
            self.action_id == action.pk
            and self.sub_step_id is None
            and self.timeframe_label == action.timeframe.label
        )

    def clean(self):
        if not has_words(self.reason):
            raise ValidationError({"reason": "Say who confirmed the date and why."})
        if self.sub_step_id and self.action_id and self.sub_step.action_id != self.action_id:
            raise ValidationError({"sub_step": "That step belongs to another action."})
        # A due date before the plan began is a slip of the keyboard (1800 for 2018), and
        # would show the action overdue by tens of thousands of days; one after it ends
        # (2031 for 2021) would keep it from ever being overdue. The date the plan meant
        # falls within it: work that slipped gets a revised due date in an update.
        plan = self.action.theme.plan if self.action_id else None
        if self.confirmed_on and plan and self.confirmed_on < plan.starts_on:
            raise ValidationError(
                {
                    "confirmed_on": "The confirmed due date can’t be before the plan began "
                    f"({plan.starts_on:%-d %B %Y}). Check the year."
                }
            )
        if self.confirmed_on and plan and self.confirmed_on > plan.ends_on:
            raise ValidationError(
                {
                    "confirmed_on": "The confirmed due date can’t be after the plan ends "
                    f"({plan.ends_on:%-d %B %Y}). Check the year. If the work has slipped, "
                    "confirm the date the plan meant and give the new date in a progress "
                    "update as a revised due date."
                }
            )
