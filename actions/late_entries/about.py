"""What a notice or listing is about (About), and the one a listing's link names."""

from dataclasses import dataclass

from django.db.models import Model, OuterRef, QuerySet, Subquery

from cypeplan.inputs import plain_number

from ..models import Action, DateConfirmation, Lead
from ..models.progress import ProgressUpdate
from .moves import moved_late, support_changed_late
from .timeframes import timeframe_changes_late, timeframe_changes_late_count


@dataclass(frozen=True)
class About:
    """`kind` is "action", "theme", "lead" or "plan"; `thing` the row. EVERY_PLAN, below, is
    about every plan's actions."""

    kind: str
    thing: Model | None

    @property
    def actions(self) -> QuerySet | None:
        if self.kind == "every plan":
            return None  # what the rules take as every plan's
        if self.kind == "action":
            return Action.objects.filter(pk=self.thing.pk)
        if self.kind == "theme":
            return Action.objects.filter(theme=self.thing)
        if self.kind == "lead":
            return Action.objects.of_lead(self.thing)
        return Action.objects.filter(theme__plan=self.thing)

    @property
    def within(self):
        """How the notice says where the updates were: "on this action", and so on."""
        return {
            "action": "on this action",
            "theme": "in this theme",
            "lead": "on these actions",
            "plan": "in this plan",
        }[self.kind]

    @property
    def query(self):
        """The listing's link parameter for it."""
        return {self.kind: self.thing.slug if self.kind == "plan" else self.thing.pk}

    def entered_late(self, as_at):
        return ProgressUpdate.objects.entered_late(as_at, actions=self.actions)

    def corrected_late(self, as_at):
        return ProgressUpdate.history.corrected_late(as_at, actions=self.actions)

    def confirmed_late(self, as_at):
        return DateConfirmation.objects.entered_late(as_at, actions=self.actions)

    def added_after(self, as_at):
        """Its actions added to their plan after `as_at`, which pages as at `as_at` leave
        out (ActionQuerySet.in_plan_on)."""
        actions = Action.objects.all() if self.actions is None else self.actions
        return actions.added_after(as_at)

    def added_listed(self, as_at):
        """added_after, as the late-entries listing shows them: most recently added first,
        each with its plan and who added it (its first history entry's user, as
        `added_by_first_name`, `added_by_last_name` and `added_by_username`; None if not
        recorded). One query."""
        first_entry = Action.history.filter(id=OuterRef("pk"), history_type="+").order_by(
            "history_id"
        )
        return (
            self.added_after(as_at)
            .select_related("theme__plan")
            .annotate(
                **{
                    f"added_by_{field}": Subquery(first_entry.values(f"history_user__{field}")[:1])
                    for field in ("first_name", "last_name", "username")
                }
            )
            .order_by("-added_on", "theme__plan_id", "theme__position", "position")
        )

    def moved_late(self, as_at):
        """Its actions given another lead or theme after `as_at` (moved_late), with, on a
        lead's or theme's page, those moved away from it since."""
        if self.kind == "every plan":
            return moved_late(as_at)
        away = {"lead": "lead_id_before", "theme": "theme_id_before"}.get(self.kind)
        return moved_late(as_at, self.actions, **({away: self.thing.pk} if away else {}))

    def support_changed_late(self, as_at):
        """On a lead's page, the actions they were made a supporting lead of, or stopped
        being one of, after `as_at` (support_changed_late); none elsewhere."""
        return support_changed_late(as_at, self.thing) if self.kind == "lead" else []

    def timeframe_changes_late(self, as_at):
        return timeframe_changes_late(as_at, actions=self.actions)

    def timeframe_changes_late_count(self, as_at):
        return timeframe_changes_late_count(as_at, actions=self.actions)


EVERY_PLAN = About("every plan", None)


def about_in_link(params):
    """The action, theme or lead a listing's link names (?action=, ?theme=, ?lead=), and the
    words for a number there is no such row for; (None, "") if it names none of them."""
    from themes.models import Theme

    for kind, model in (
        ("action", Action.objects.select_related("theme__plan")),
        ("theme", Theme.objects.select_related("plan")),
        ("lead", Lead.objects.all()),
    ):
        if kind not in params:
            continue
        found = model.filter(pk=plain_number(params[kind]) or 0).first()
        if found is None:
            return None, f"There is no {kind} numbered “{params[kind][:40]}” in the link"
        return About(kind, found), ""
    return None, ""
