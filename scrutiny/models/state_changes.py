"""The dated, append-only steps in an item's life, from which its state as at a date is read."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import NARRATIVE_LIMIT

from .items import Item, _text_limit
from .meetings import Meeting
from .responses import Response
from .states import NEWEST_FIRST, Change, State


class StateChangeQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class StateChange(models.Model):
    """One dated step in an item's life: raised, answered, sent back, accepted, withdrawn.
    Append-only: an item's state as at a date is the latest of these on or before it."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="state_changes")
    change = models.CharField(max_length=20, choices=Change.choices)
    state = models.CharField("state after it", max_length=20, choices=State.choices)
    on = models.DateField("date")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="The meeting that decided it, for a committee's decision.",
    )
    reason = models.TextField(max_length=NARRATIVE_LIMIT, validators=_text_limit, blank=True)
    due_on = models.DateField(
        "answer now due by",
        null=True,
        blank=True,
        help_text="A new date for the answer, set when the committee sends one back. From "
        "this step on it is the item's due date; before it, the earlier one still reads.",
    )
    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scrutiny_state_changes",
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StateChangeQuerySet.as_manager()

    # Not stored: True on the step decision_record returns when the same form was sent
    # again, so it was recorded before and not again.
    sent_before = False

    class Meta:
        ordering = list(NEWEST_FIRST)
        indexes = [models.Index(fields=["item", "on", "id"], name="item_state_as_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(change=Change.RAISED, state=State.OPEN)
                | Q(change=Change.ANSWERED, state=State.ANSWERED)
                | Q(change=Change.NOT_ACCEPTED, state=State.OPEN)
                | Q(change=Change.ACCEPTED, state=State.ACCEPTED)
                | Q(change=Change.WITHDRAWN, state=State.WITHDRAWN),
                name="state_change_state_follows_change",
            ),
        ]

    def __str__(self):
        return f"{self.get_change_display()} on {date_format(self.on, 'j F Y')}"

    def natural_key(self):
        return (str(self.key),)

    natural_key.dependencies = ["scrutiny.item", "scrutiny.response", "scrutiny.meeting"]
