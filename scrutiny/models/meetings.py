"""Committee meetings, and the rule that one is recorded only once it has been held."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from .states import Change

COMMITTEE = "Scrutiny Children & Young People Sub-Committee"


def held_already(held_on):
    """A meeting is recorded once it has been held: its items are raised on its date, and
    nothing can be answered or decided before then. (Meeting.clean asks it of a new date;
    migration 0004 names it.)"""
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError(
            f"A meeting is recorded once it has been held: {date_format(held_on, 'j F Y')} "
            f"is after today ({date_format(today, 'j F Y')}).",
            code="not_held_yet",
        )


class MeetingQuerySet(models.QuerySet):
    def get_by_natural_key(self, committee, held_on):
        return self.get(committee=committee, held_on=held_on)


class Meeting(models.Model):
    """One meeting of a scrutiny committee."""

    committee = models.CharField(max_length=200, default=COMMITTEE)
    held_on = models.DateField("date of the meeting")
    minute_numbers = models.CharField(
        max_length=100,
        blank=True,
        help_text="The minutes' numbers for this meeting, for example 7/19 to 16/19.",
    )
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "committee"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "held_on"], name="meeting_unique_date"),
        ]

    def __str__(self):
        return f"{self.committee}, {date_format(self.held_on, 'j F Y')}"

    def get_absolute_url(self):
        return reverse("scrutiny:meeting", args=[self.pk])

    def natural_key(self):
        return (self.committee, str(self.held_on))

    def is_held(self, as_at=None):
        """Dated on or before `as_at` (default today): its items have been raised."""
        return self.held_on <= (as_at or timezone.localdate())

    def clean(self):
        if self.held_on is None:
            return
        stored = None
        if self.pk is not None:
            stored = Meeting.objects.filter(pk=self.pk).values_list("held_on", flat=True).first()
        # A meeting not yet held (dated after today, from before such dates were refused)
        # may be put off to another day after today; any other date after today is refused.
        if stored is None or stored <= timezone.localdate():
            try:
                held_already(self.held_on)
            except ValidationError as error:
                raise ValidationError({"held_on": error}) from None
        moved = stored is not None and stored != self.held_on
        if moved and (problem := self.moving_problem(stored)):
            raise ValidationError({"held_on": problem})

    def has_records(self):
        """Items were raised at it, or the committee decided on items at it: each is dated
        the day of the meeting."""
        return self.items.exists() or self.decisions.exists()

    def moving_problem(self, stored):
        """Why the meeting can't move from `stored` to its date, or "". Its items were
        raised, and the committee's decisions at it taken, on its date, and their history,
        due dates and every action list as at a date read from it: a meeting with either
        keeps its date once held. One not yet held moves with its items, none of which can
        have an answer or a decision yet, so long as none is due before its new date."""
        from .responses import Response
        from .state_changes import StateChange

        if not self.has_records():
            return ""
        if stored <= timezone.localdate():
            return (
                f"The meeting of {date_format(stored, 'j F Y')} has been held, and items were "
                "raised or decided at it on that date: its date is kept."
            )
        items = list(self.items.order_by("position", "pk"))
        recorded = StateChange.objects.filter(item__meeting=self).exclude(change=Change.RAISED)
        if recorded.exists() or Response.objects.filter(item__meeting=self).exists():
            return (
                "An item raised at this meeting already has an answer or a decision: the "
                "meeting keeps its date."
            )
        for item in items:
            if item.due_on is not None and item.due_on < self.held_on:
                return (
                    f"The item “{item}” is due by {date_format(item.due_on, 'j F Y')}, before "
                    f"{date_format(self.held_on, 'j F Y')}: put its due date right first."
                )
        return ""

    @property
    def action_list_as_at(self):
        """The agenda pack's date: the day before the meeting. An item accepted at this
        meeting is still on this meeting's list; one accepted earlier is not."""
        return date.fromordinal(self.held_on.toordinal() - 1)
