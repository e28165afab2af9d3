"""Committee meetings, what members raised at them, officers' answers, and where each item
stands as at any date.

Nothing here is ever rewritten: an item's life is its append-only list of StateChange
rows (raised, answered, sent back, accepted, withdrawn), each dated, and its state as at a
date is the latest of them on or before that date. Write through scrutiny.services.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from actions.models import NARRATIVE_LIMIT, Action, Lead, warning_window
from cypeplan.inputs import has_words

COMMITTEE = "Scrutiny Children & Young People Sub-Committee"

_web_address = URLValidator(schemes=["http", "https"])
_text_limit = [MaxLengthValidator(NARRATIVE_LIMIT)]


class Kind(models.TextChoices):
    ACTION = "action", "Action"
    INFORMATION_REQUEST = "information_request", "Information request"
    RECOMMENDATION = "recommendation", "Recommendation"
    CONCLUSION = "conclusion", "Conclusion"


# A conclusion is the committee's view, kept with the meeting's record: it is owed no
# answer and never goes on the action list. The other kinds are owed one.
ANSWER_OWED = (Kind.ACTION, Kind.INFORMATION_REQUEST, Kind.RECOMMENDATION)


class State(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered, awaiting the committee"
    ACCEPTED = "accepted", "Accepted by the committee"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Off the action list for good: only a scrutiny officer moves an item here.
CLOSED = (State.ACCEPTED, State.WITHDRAWN)
OUTSTANDING = (State.OPEN, State.ANSWERED)


class Change(models.TextChoices):
    RAISED = "raised", "Raised at the meeting"
    ANSWERED = "answered", "Answered"
    NOT_ACCEPTED = "not_accepted", "Not accepted: sent back"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The state an item is in after each change.
STATE_AFTER = {
    Change.RAISED: State.OPEN,
    Change.ANSWERED: State.ANSWERED,
    Change.NOT_ACCEPTED: State.OPEN,
    Change.ACCEPTED: State.ACCEPTED,
    Change.WITHDRAWN: State.WITHDRAWN,
}

# The latest change is the one with the latest date; on a tie, the one entered last.
NEWEST_FIRST = ("-on", "-pk")


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False))


def link_list(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def bad_links(text):
    """The lines of `text` that are not http or https web addresses."""
    found = []
    for line in link_list(text):
        try:
            _web_address(line)
        except ValidationError:
            found.append(line)
    return found


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


def _due_soon(as_at):
    # On ItemQuerySet.with_state's annotations; only the reminder asks it, so the pages'
    # lists don't carry it.
    return Q(
        kind__in=ANSWER_OWED,
        state=State.OPEN,
        answer_due_on__gte=as_at,
        answer_due_on__lte=as_at + warning_window(),
    )


class ItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def with_state(self, as_at):
        """Each item's state as at `as_at` (the latest StateChange dated on or before it;
        None if not raised by then), the latest response by then, and the flags
        is_outstanding and is_overdue."""
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
        leads = Lead.objects.filter(Q(user=user) | Q(delegates=user)).values("pk")
        return self.filter(answerer__in=leads)

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


class ResponseQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Response(models.Model):
    """One answer an officer gave to an item. History: never edited, only added to."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="responses")
    responded_on = models.DateField("date of the answer", default=timezone.localdate)
    text = models.TextField("answer", max_length=NARRATIVE_LIMIT, validators=_text_limit)
    evidence = models.TextField(max_length=NARRATIVE_LIMIT, validators=_text_limit, blank=True)
    evidence_links = models.TextField(
        max_length=NARRATIVE_LIMIT,
        validators=_text_limit,
        blank=True,
        help_text="Web addresses starting http:// or https://, one per line.",
    )
    considers_answered = models.BooleanField(
        "the officer considers it answered",
        default=False,
        help_text="If so, the item waits for the committee to accept the answer.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scrutiny_responses",
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-responded_on", "-pk"]

    def __str__(self):
        return f"Answer of {date_format(self.responded_on, 'j F Y')} to “{self.item}”"

    def natural_key(self):
        return (str(self.key),)

    natural_key.dependencies = ["scrutiny.item"]

    @property
    def evidence_link_list(self):
        return link_list(self.evidence_links)

    def clean(self):
        wrong = bad_links(self.evidence_links)
        if wrong:
            raise ValidationError(
                {
                    "evidence_links": "Evidence links must be web addresses starting http:// "
                    f"or https://. This is not: {wrong[0][:200]}"
                }
            )


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
