"""What members raised at a meeting, and each item's state as at a date."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from actions.models import NARRATIVE_LIMIT, Action, Lead, warning_window
from cypeplan.inputs import has_words

from .meetings import Meeting
from .states import ANSWER_OWED, NEWEST_FIRST, OUTSTANDING, Change, Kind, State

if TYPE_CHECKING:
    from .responses import Response

_text_limit = [MaxLengthValidator(NARRATIVE_LIMIT)]


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False))


def _due_soon(as_at):
    # On ItemQuerySet.with_state's annotations; only the reminder asks it, so the pages'
    # lists don't carry it.
    return Q(
        kind__in=ANSWER_OWED,
        state=State.OPEN,
        answer_due_on__gte=as_at,
        answer_due_on__lte=as_at + warning_window(),
    )


def _leads_answered_for_by(user):
    """The leads `user` (an account, or OuterRef to one) answers for: their own, and those
    they are a delegate for. The one home of who owes a lead's answers."""
    return Lead.objects.filter(Q(user=user) | Q(delegates=user))


class ItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def with_state(self, as_at):
        """Each item's state as at `as_at` (the latest StateChange dated on or before it;
        None if not raised by then), the latest response by then, and the flags
        is_outstanding and is_overdue."""
        from .responses import Response
        from .state_changes import StateChange

        latest = StateChange.objects.filter(item=OuterRef("pk"), on__lte=as_at).order_by(
            *NEWEST_FIRST
        )
        response = Response.objects.filter(item=OuterRef("pk"), responded_on__lte=as_at).order_by(
            "-responded_on", "-pk"
        )
        # The due date as at `as_at`: the newest one a step set by then, else the item's own.
        moved = StateChange.objects.filter(
            item=OuterRef("pk"), on__lte=as_at, due_on__isnull=False
        ).order_by(*NEWEST_FIRST)
        outstanding = Q(kind__in=ANSWER_OWED, state__in=OUTSTANDING)
        return self.annotate(
            state_as_at=Value(as_at, output_field=models.DateField()),
            state=Subquery(latest.values("state")[:1]),
            state_on=Subquery(latest.values("on")[:1]),
            state_reason=Subquery(latest.values("reason")[:1]),
            latest_response_text=Subquery(response.values("text")[:1]),
            latest_response_on=Subquery(response.values("responded_on")[:1]),
            latest_response_considers_answered=Subquery(response.values("considers_answered")[:1]),
            answer_due_on=Coalesce(Subquery(moved.values("due_on")[:1]), F("due_on")),
        ).annotate(
            is_outstanding=_flag(outstanding),
            is_overdue=_flag(Q(kind__in=ANSWER_OWED, state=State.OPEN, answer_due_on__lt=as_at)),
        )

    def outstanding(self, as_at):
        """Owed an answer, raised on or before `as_at`, and neither accepted nor withdrawn
        by then: the committee's action list as at `as_at`, oldest first."""
        return (
            self.with_state(as_at)
            .filter(is_outstanding=True)
            .order_by("meeting__held_on", "meeting__committee", "position", "pk")
        )

    def overdue(self, as_at):
        """Open (never answered, or sent back) as at `as_at`, with its due date before it."""
        return self.with_state(as_at).filter(is_overdue=True)

    def due_soon(self, as_at):
        """Open as at `as_at`, due on it or within the warning window after it (as actions
        due soon are)."""
        return self.with_state(as_at).filter(_due_soon(as_at))

    def overdue_or_due_soon(self, as_at):
        """Overdue or due soon as at `as_at`: the answers the daily reminder lists."""
        return self.with_state(as_at).filter(Q(is_overdue=True) | _due_soon(as_at))

    def owed_by(self, user):
        """Items whose answering officer is the user, or a lead the user is a delegate for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(answerer__in=_leads_answered_for_by(user).values("pk"))

    def owing_account_ids(self, item):
        """The ids of the accounts `item` is owed by now (those whose owed_by holds it):
        none if it owes no answer, else its lead's and the lead's delegates'. One query."""
        if not item.owes_answer or not item.answerer_id:
            return set()
        answers_for_lead = _leads_answered_for_by(OuterRef("pk")).filter(pk=item.answerer_id)
        accounts = get_user_model().objects.filter(Exists(answers_for_lead))
        return set(accounts.values_list("pk", flat=True))

    def answerable_by(self, user):
        """Items the user may answer: any, for a plan administrator; those they owe (or a
        lead they are a delegate for owes), for an officer; none for anyone else."""
        if not user.is_authenticated or not user.has_perm("scrutiny.add_response"):
            return self.none()
        if user.has_perm("actions.change_action"):
            return self
        return self.owed_by(user)

    def concerning(self, action):
        return self.filter(actions=action)


class Item(models.Model):
    """Something members raised at a meeting: an action, information request,
    recommendation or conclusion, in the minutes' words."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order among the meeting's items, as minuted."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    words = models.TextField(
        "words as minuted",
        max_length=NARRATIVE_LIMIT,
        validators=_text_limit,
        help_text="Exactly as the minutes write it.",
    )
    minute = models.CharField(
        "minute it comes from", max_length=20, blank=True, help_text="For example 12/19."
    )
    answerer = models.ForeignKey(
        Lead,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scrutiny_items",
        verbose_name="officer who must answer",
        help_text="A lead in the plans. They, their delegates and plan administrators may answer.",
    )
    answerer_as_minuted = models.CharField(
        "who must answer, as the minutes name them",
        max_length=200,
        blank=True,
        help_text="A role or job title as the minutes write it, for example Head of Finance.",
    )
    due_on = models.DateField("answer due by", null=True, blank=True)
    actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="scrutiny_items",
        verbose_name="plan actions it concerns",
    )
    history = HistoricalRecords(m2m_fields=[actions])

    objects = ItemQuerySet.as_manager()

    # Not stored: True on the item item_raise returns when the same form was sent again,
    # so it was raised before and not again (and nobody is emailed about it twice).
    sent_before = False

    class Meta:
        ordering = ["meeting__held_on", "position", "pk"]
        permissions = [("record_decision", "Can record the committee's decision on an item")]

    def __str__(self):
        words = " ".join(self.words.split())
        return words if len(words) <= 80 else words[:77] + "…"

    def get_absolute_url(self):
        return reverse("scrutiny:item", args=[self.pk])

    def natural_key(self):
        return (str(self.key),)

    natural_key.dependencies = ["scrutiny.meeting", "actions.lead", "actions.action"]

    @property
    def owes_answer(self):
        return self.kind in ANSWER_OWED

    @property
    def answerer_shown(self):
        """Who must answer, as people read it: the lead (and job title), else the role as
        minuted; "" for a conclusion."""
        if self.answerer_id:
            lead = self.answerer
            return f"{lead}, {lead.job_title}" if lead.job_title else str(lead)
        return self.answerer_as_minuted

    @property
    def days_open(self):
        """Days from the meeting to the state's date; needs the with_state annotations."""
        return (self.state_as_at - self.meeting.held_on).days

    @property
    def state_label(self):
        return State(self.state).label if getattr(self, "state", None) else "Not yet raised"

    def clean(self):
        errors = {}
        if self.kind in ANSWER_OWED and not (
            self.answerer_id or has_words(self.answerer_as_minuted)
        ):
            errors["answerer_as_minuted"] = (
                "Say who must answer: choose the officer, or write the role as the minutes name it."
            )
        if self.due_on and self.meeting_id and self.due_on < self.meeting.held_on:
            errors["due_on"] = (
                "The answer can’t be due before the meeting that asked for it "
                f"({date_format(self.meeting.held_on, 'j F Y')})."
            )
        if errors:
            raise ValidationError(errors)

    def state_at(self, as_at):
        """The same rule as ItemQuerySet.with_state, for this one item, from
        self.state_changes.all() and self.responses.all() (prefetch them in a loop)."""
        changes = [change for change in self.state_changes.all() if change.on <= as_at]
        latest = max(changes, key=lambda change: (change.on, change.pk), default=None)
        responses = [r for r in self.responses.all() if r.responded_on <= as_at]
        response = max(responses, key=lambda r: (r.responded_on, r.pk), default=None)
        state = latest.state if latest else None
        moved = [change for change in changes if change.due_on is not None]
        due_on = max(moved, key=lambda c: (c.on, c.pk)).due_on if moved else self.due_on
        return ItemState(
            state_as_at=as_at,
            state=state,
            state_on=latest.on if latest else None,
            state_reason=latest.reason if latest else "",
            latest_response=response,
            answer_due_on=due_on,
            is_outstanding=self.kind in ANSWER_OWED and state in OUTSTANDING,
            is_overdue=self.kind in ANSWER_OWED
            and state == State.OPEN
            and due_on is not None
            and due_on < as_at,
            is_due_soon=self.kind in ANSWER_OWED
            and state == State.OPEN
            and due_on is not None
            and as_at <= due_on <= as_at + warning_window(),
        )

    def latest_change(self):
        """The latest change on any date (what a new change must not come before)."""
        return self.state_changes.order_by(*NEWEST_FIRST).first()

    def is_on_record(self):
        """Answered or decided, or printed on a later meeting's action list (its agenda
        pack): a meeting after the item's, held by today, that it was entered before the
        day of. From then on its words, kind, who must answer and due date are what past
        lists and its history read. An item typed in after the next meeting was held (a
        clerk catching up) was on no list printed for it, so a slip can still be put
        right. Three queries at most."""
        steps = list(self.state_changes.values_list("change", "entered_at"))
        if any(change != Change.RAISED for change, _ in steps) or self.responses.exists():
            return True
        today = timezone.localdate()
        later = Meeting.objects.filter(held_on__gt=self.meeting.held_on, held_on__lte=today)
        raised = [timezone.localdate(at) for change, at in steps if change == Change.RAISED]
        if raised:
            later = later.filter(held_on__gt=min(raised))
        return later.exists()


@dataclass(frozen=True)
class ItemState:
    """One item's state as at a date; names match ItemQuerySet.with_state."""

    state_as_at: date
    state: str | None
    state_on: date | None
    state_reason: str
    latest_response: "Response | None"
    answer_due_on: date | None
    is_outstanding: bool
    is_overdue: bool
    is_due_soon: bool

    @property
    def state_label(self):
        return State(self.state).label if self.state else "Not yet raised"
