import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.manager import HistoricalQuerySet

from cypeplan.history import HistoryOfChanges
from cypeplan.inputs import has_words
from themes.periods import in_range

from .action import Action
from .rules import AT_RISK_RAGS, FINISHED, NEWEST_FIRST, RAG, Status, end_of_day

# Long enough for a thorough quarterly narrative; a 100,000-character paste is a mistake.
NARRATIVE_LIMIT = 10_000

_web_address = URLValidator(schemes=["http", "https"])
# TextField's max_length is only checked by forms; the validator holds it everywhere.
_narrative_limit = [MaxLengthValidator(NARRATIVE_LIMIT)]


class ProgressUpdateQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def newest_entered_by(self, person):
        """The update `person` entered last of these (None if none): what a form sent
        again after saving (Back, then Save) would repeat."""
        return self.filter(entered_by=person).order_by("-pk").first()

    def entered_late(self, as_at, plan=None, actions=None):
        """Reported on or before `as_at` but entered after that day ended (of `plan`'s actions,
        or of the `actions` queryset, or every plan's): what has changed the position as at
        `as_at` since the day itself, so with_state(as_at) now differs from
        with_state(as_at, end_of_day(as_at))."""
        if as_at >= timezone.localdate():
            return self.none()  # nothing is entered after today (and 31-12-9999 has no end)
        late = self.filter(reported_on__lte=as_at, entered_at__gt=end_of_day(as_at))
        if plan is not None:
            actions = Action.objects.filter(theme__plan=plan)
        if actions is None:
            return late
        # The actions as a list each late update is checked against, by an action
        # id written `+action_id`, which no index answers. Joined plainly, SQLite (which
        # keeps no statistics) led with the plan's actions and read every update of each
        # (22 ms at 10,000 actions, on every page as at a past date); this way it can only
        # start from the updates entered since the day, through update_entered_late (1 ms).
        return late.alias(
            _of_action=models.Func(
                models.F("action_id"),
                template="+%(expressions)s",
                output_field=models.IntegerField(),
            )
        ).filter(_of_action__in=actions.values("pk"))


# What a superuser's correction of an update can change that moves a position.
CORRECTED_FIELDS = ("action_id", "reported_on", "status", "rag", "revised_due_on")


class ProgressUpdateHistoryQuerySet(HistoricalQuerySet):
    def corrected_since(self, moment, as_at, actions=None):
        """Records of an update reporting on or before `as_at` (before or after the
        correction) corrected or deleted after `moment` (only a superuser can) that changed
        what a position as at `as_at` reads (CORRECTED_FIELDS), each with those fields as
        they were before (`<field>_before`), of the `actions` queryset or every plan's: the
        correction keeps the update's entered_at, so even with_state(as_at, moment) reads the
        corrected update, and only these records say it changed."""
        earlier = self.model.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        before = {
            f"{field}_before": Subquery(earlier.values(field)[:1]) for field in CORRECTED_FIELDS
        }
        never = date(1, 1, 1)
        changed = Q(history_type="-") | Q(
            ~Q(action_id_before=F("action_id"))
            | ~Q(reported_on_before=F("reported_on"))
            | ~Q(status_before=F("status"))
            | ~Q(rag_before=F("rag"))
            | ~Q(
                revised_due_on_before_or_never=Coalesce(
                    F("revised_due_on"), Value(never, output_field=models.DateField())
                )
            )
        )
        corrected = (
            self.filter(history_date__gt=moment, history_type__in=("~", "-"))
            .annotate(**before)
            .filter(action_id_before__isnull=False)
            .alias(
                revised_due_on_before_or_never=Coalesce(
                    F("revised_due_on_before"), Value(never, output_field=models.DateField())
                )
            )
            .filter(changed)
            .filter(Q(reported_on__lte=as_at) | Q(reported_on_before__lte=as_at))
        )
        if actions is None:
            return corrected
        from .action import unindexed

        return corrected.alias(_of_action=unindexed("action_id")).filter(
            _of_action__in=actions.values("pk")
        )

    def corrected_late(self, as_at, actions=None):
        """corrected_since the end of the `as_at` day: beside ProgressUpdate.entered_late,
        what has changed the position as at `as_at` since the day."""
        if as_at >= timezone.localdate():
            return self.none()  # nothing is entered after today (and 31-12-9999 has no end)
        return self.corrected_since(end_of_day(as_at), as_at, actions=actions)


class ProgressUpdate(models.Model):
    """One dated report on one action by one person. History: never edited, only added to."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="progress_updates")
    reported_on = models.DateField(help_text="The date this update reports the position at.")
    status = models.CharField(max_length=20, choices=Status.choices)
    rag = models.CharField("RAG", max_length=5, choices=RAG.choices, blank=True)
    working_well = models.TextField(
        "What's working well and how do we know?",
        max_length=NARRATIVE_LIMIT,
        validators=_narrative_limit,
        blank=True,
    )
    worried_about = models.TextField(
        "What are we worried about and what are we doing about it?",
        max_length=NARRATIVE_LIMIT,
        validators=_narrative_limit,
        blank=True,
    )
    evidence = models.TextField(
        max_length=NARRATIVE_LIMIT,
        validators=_narrative_limit,
        blank=True,
        help_text="How we know: what was done, and where the proof is.",
    )
    evidence_links = models.TextField(
        max_length=NARRATIVE_LIMIT,
        validators=_narrative_limit,
        blank=True,
        help_text="Links to evidence, one web address (http or https) per line.",
    )
    rag_change_reason = models.TextField(
        "why the RAG changed", max_length=NARRATIVE_LIMIT, validators=_narrative_limit, blank=True
    )
    revised_due_on = models.DateField(
        "revised due date",
        null=True,
        blank=True,
        help_text="When the action will now be done, if not by the date the plan gave. "
        "From this update on, overdue counts against it.",
    )
    revised_due_reason = models.TextField(
        "why the due date changed",
        max_length=NARRATIVE_LIMIT,
        validators=_narrative_limit,
        blank=True,
    )
    progress_as_written = models.CharField(
        max_length=200,
        blank=True,
        help_text="The progress exactly as a published plan recorded it, e.g. “Complete In "
        "progress”.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
        help_text="Empty for progress recorded in a published plan.",
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    # Only a superuser can correct an update; the history shows what they changed.
    history = HistoryOfChanges(
        historical_queryset=ProgressUpdateHistoryQuerySet, changes_index="update_history_changes"
    )

    objects = ProgressUpdateQuerySet.as_manager()

    # The newest update (by entry) there was when the officer's form opened; None if the
    # update did not come from a form. Not stored: updates entered after it landed while
    # they wrote, and the RAG rule does not hold their update to those.
    seen_up_to = None

    class Meta:
        ordering = list(NEWEST_FIRST)
        indexes = [
            # The latest update as at a date: newest report first within each action.
            models.Index(fields=["action", "reported_on", "id"], name="update_latest_as_at"),
            # The latest that revised the due date, as at a date: without it each action's
            # updates are read and sorted to find it.
            models.Index(
                fields=["action", "reported_on", "id"],
                condition=models.Q(revised_due_on__isnull=False),
                name="update_revision_as_at",
            ),
            # Updates entered after a past as-at day that report on or before it
            # (entered_late, on every page as at a past date): the few entered since are
            # read, not every update of the plan.
            models.Index(
                fields=["entered_at", "reported_on", "action"], name="update_entered_late"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} on {self.reported_on:%-d %b %Y}"

    def natural_key(self):
        return (str(self.key),)

    natural_key.dependencies = ["actions.action"]

    def clean(self):
        """The rules an officer meets when recording an update (one home: forms and admin
        call this through full_clean). Updates loaded from a published plan skip it."""
        errors = {}
        today = timezone.localdate()
        if self.reported_on and self.reported_on > today:
            errors["reported_on"] = (
                f"The date it reports on can’t be in the future: today is {today:%-d %B %Y}."
            )
        action = self.action if self.action_id else None
        if action and self.reported_on and self.reported_on < action.theme.plan.starts_on:
            errors["reported_on"] = (
                f"The date it reports on can’t be before the plan started "
                f"({action.theme.plan.starts_on:%-d %B %Y})."
            )
        if self.status not in FINISHED and not self.rag:
            errors["rag"] = "Choose a RAG rating: Red, Amber or Green."
        if self.status == Status.COMPLETE and not (
            has_words(self.evidence) or has_words(self.evidence_links)
        ):
            errors["evidence"] = (
                "Marking an action Complete needs evidence: say how we know it was done."
            )
        if self.rag in AT_RISK_RAGS and not has_words(self.worried_about):
            errors["worried_about"] = (
                f"{'An' if self.rag == RAG.AMBER else 'A'} {self.get_rag_display()} rating needs "
                "“What are we worried about and what "
                "are we doing about it?”."
            )
        previous = self.previous_update(seen_up_to=self.seen_up_to)
        if (
            previous
            and previous.rag
            and self.rag
            and self.rag != previous.rag
            and not has_words(self.rag_change_reason)
        ):
            errors["rag_change_reason"] = (
                f"The RAG has changed from {previous.get_rag_display()} to "
                f"{self.get_rag_display()}: say why."
            )
        errors.update(self._revised_due_date_errors(action))
        bad_links = []
        for line in self.evidence_link_list:
            try:
                _web_address(line)
            except ValidationError:
                bad_links.append(line)
        if bad_links:
            errors["evidence_links"] = (
                "Evidence links must be web addresses starting http:// or https://. "
                f"This is not: {bad_links[0][:200]}"
            )
        if errors:
            raise ValidationError(errors)

    def _revised_due_date_errors(self, action):
        """A revised due date needs its reason, and a reason needs its date; an ongoing action
        has no due date to revise; a new date is one the service answers for (as pages and
        commands are), and can't be before the day the update reports on, which is never
        before the plan started."""
        has_reason = has_words(self.revised_due_reason)
        if self.revised_due_on is None:
            if has_reason:
                return {"revised_due_on": "Give the revised due date, or leave its reason empty."}
            return {}
        _, outside = in_range(self.revised_due_on, date_format(self.revised_due_on, "j F Y"))
        if outside:
            return {"revised_due_on": f"The revised due date {outside}"}
        if action and action.timeframe.is_ongoing:
            return {
                "revised_due_on": f"This action is ongoing (“{action.timeframe.label}”): it "
                "has no due date to revise."
            }
        if self.reported_on and self.revised_due_on < self.reported_on:
            return {
                "revised_due_on": "The revised due date can’t be before the date this update "
                f"reports on ({self.reported_on:%-d %B %Y})."
            }
        if not has_reason:
            return {
                "revised_due_reason": "Say why the due date changed: a revised due date needs "
                "its reason."
            }
        return {}

    @property
    def evidence_link_list(self):
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    def previous_update(self, seen_up_to=None):
        """The action's latest update as at this one's date, not counting this one; None if
        this is the first. With `seen_up_to`, only among the updates entered up to it (those
        there were when the form opened)."""
        if not self.action_id or not self.reported_on:
            return None
        earlier = self.action.progress_updates.filter(reported_on__lte=self.reported_on)
        if seen_up_to is not None:
            earlier = earlier.filter(pk__lte=seen_up_to)
        if self.pk:
            earlier = earlier.exclude(pk=self.pk)
        return earlier.order_by(*NEWEST_FIRST).first()


def progress_before_plan_starts(plan):
    """{"starts_on": why} when progress on `plan` reports on a day before the plan's start:
    an update can't report on a day before its plan started (ProgressUpdate.clean), so a
    start moved past one would put it outside the plan. One query."""
    first = (
        ProgressUpdate.objects.filter(action__theme__plan=plan)
        .select_related("action")
        .order_by("reported_on", "pk")
        .first()
    )
    if first is None or first.reported_on >= plan.starts_on:
        return {}
    return {
        "starts_on": f"The plan can’t start after {first.reported_on:%-d %B %Y}: progress is "
        f"reported on that day (on “{first.action}”). Check the year."
    }
