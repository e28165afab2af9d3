"""What a page's "entered later" notice and the late-entries listing are about: one action,
a theme, a lead's actions, a plan or every plan. A notice counts only the updates, confirmed
due dates and timeframe changes of the actions its page shows, so it never claims a change
the page does not have."""

from dataclasses import dataclass

from django.db.models import Model, QuerySet

from cypeplan.inputs import plain_number

from .models import Action, DateConfirmation, Lead
from .models.progress import ProgressUpdate


@dataclass(frozen=True)
class About:
    """`kind` is "action", "theme", "lead" or "plan"; `thing` the row."""

    kind: str
    thing: Model

    @property
    def actions(self) -> QuerySet:
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

    def confirmed_late(self, as_at):
        return DateConfirmation.objects.entered_late(as_at, actions=self.actions)

    def timeframes_changed_late(self, as_at):
        return Action.history.timeframe_changed_late(as_at, actions=self.actions)


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
