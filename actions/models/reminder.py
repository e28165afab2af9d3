from django.conf import settings
from django.db import models
from django.utils import timezone


class Reminder(models.Model):
    """An email reminding one person of the actions that need an update.

    At most one per person per day, so running the reminders twice sends nothing new.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField(
        help_text="The day the reminder is for: the actions were judged as at this date "
        "(today, unless the command was given --date)."
    )
    sent_at = models.DateTimeField(default=timezone.now, editable=False)
    email = models.EmailField("sent to", help_text="The address it went to.")
    action_count = models.PositiveIntegerField("actions")
    subject = models.CharField(max_length=200)

    class Meta:
        ordering = ["-sent_on", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "sent_on"],
                name="reminder_once_a_day_per_person",
                violation_error_message="This person has already been sent a reminder "
                "for this day.",
            ),
        ]

    def __str__(self):
        return f"{self.subject} to {self.email} on {self.sent_on:%-d %b %Y}"
