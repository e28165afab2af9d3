"""Timeframes in the admin. A timeframe is one row per label ("December 2022"), shared by
every action and sub-step the plans word that way, so:

- an action's or sub-step's own page takes its timeframe as typed words: other words
  move only that action or sub-step (TimeframeAsWrittenForm);
- the timeframe's page lists everything it times, and changing its words when it times
  more than one thing asks first, naming how many will move (TimeframeForm).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, SubStep, Timeframe
from actions.timeframes import parse_timeframe

from .display import day, shortened, yes_no


class TimeframeAsWrittenForm(forms.ModelForm):
    """A form for something with a timeframe, which takes it as the plan words it."""

    timeframe_label = forms.CharField(
        label="Timeframe",
        max_length=200,
        help_text="As the plan words it, e.g. “March 2023”, “Ongoing”, “30/09/21 (TBC)”. "
        "Changing the words here changes only this one: nothing else with the same "
        "timeframe moves.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["timeframe_label"]
        field.required = not self._meta.model._meta.get_field("timeframe").null
        if self.instance.timeframe_id:
            field.initial = self.instance.timeframe.label

    def clean_timeframe_label(self):
        label = self.cleaned_data["timeframe_label"].strip()
        if label and not Timeframe.objects.filter(label=label).exists():
            # New words: they must mean dates, as on the timeframe's own page.
            parse_timeframe(label)
        return label

    def _post_clean(self):
        label = self.cleaned_data.get("timeframe_label")
        if label is not None:
            self.instance.timeframe = (
                Timeframe.objects.filter(label=label).first() or Timeframe(label=label)
                if label
                else None
            )
        super()._post_clean()

    def save(self, commit=True):
        timeframe = self.instance.timeframe
        if timeframe is not None and timeframe.pk is None:
            self.instance.timeframe, _ = Timeframe.objects.get_or_create(label=timeframe.label)
        return super().save(commit)


def timeframe_users(timeframe):
    """The actions and sub-steps a timeframe times: two queries."""
    actions = list(
        Action.objects.filter(timeframe=timeframe).select_related("theme__plan").order_by("pk")
    )
    steps = list(
        SubStep.objects.filter(timeframe=timeframe)
        .select_related("action__theme__plan")
        .order_by("action_id", "position")
    )
    return actions, steps


class TimeframeForm(forms.ModelForm):
    move_all = forms.BooleanField(
        required=False,
        label="Yes, move every action and sub-step listed under “Used by” to the new dates",
    )

    class Meta:
        model = Timeframe
        fields = ["label"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "label" not in self.changed_data:
            return cleaned
        actions, steps = timeframe_users(self.instance)
        count = len(actions) + len(steps)
        if count > 1 and not cleaned.get("move_all"):
            raise ValidationError(
                f"“{self.instance.label}” is the timeframe of {len(actions)} "
                f"action{'s' if len(actions) != 1 else ''} and {len(steps)} "
                f"sub-step{'s' if len(steps) != 1 else ''}, listed under “Used by”. Changing "
                "it here moves every one of them. To correct one action or sub-step, change "
                "the timeframe on its own page instead. To move them all, tick “Yes, move "
                "every action and sub-step”.",
                code="moves_others",
            )
        return cleaned


@admin.register(Timeframe)
class TimeframeAdmin(SimpleHistoryAdmin):
    form = TimeframeForm
    list_display = ["label", "starts_on", "due_on", "milestone_list", "ongoing", "qualifier"]
    list_filter = ["is_ongoing"]
    search_fields = ["label"]
    readonly_fields = [
        "starts_on",
        "due_on",
        "milestone_list",
        "ongoing",
        "qualifier",
        "used_by",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["label"] if obj is None else ["label", "move_all"]}),
            (
                "What the label means",
                {
                    "description": "Worked out from the label each time it is saved: "
                    "change the label to change these.",
                    "fields": ["starts_on", "due_on", "milestone_list", "ongoing", "qualifier"],
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(("Used by", {"fields": ["used_by"]}))
        return fieldsets

    @admin.display(description="milestones")
    def milestone_list(self, timeframe):
        return ", ".join(day(milestone) for milestone in timeframe.milestone_dates)

    @admin.display(ordering="is_ongoing")
    def ongoing(self, timeframe):
        return yes_no(timeframe.is_ongoing)

    @admin.display(description="actions and sub-steps with this timeframe")
    def used_by(self, timeframe):
        actions, steps = timeframe_users(timeframe)
        if not actions and not steps:
            return "Nothing uses this timeframe."
        rows = [
            (
                reverse("admin:actions_action_change", args=[action.pk]),
                f"Action {action.reference} " if action.reference else "Action ",
                shortened(action.description, 90),
                action.theme.plan.name,
            )
            for action in actions
        ] + [
            (
                reverse("admin:actions_substep_change", args=[step.pk]),
                f"Sub-step of {step.action.reference or 'an action'}: ",
                shortened(step.description, 90),
                step.action.theme.plan.name,
            )
            for step in steps
        ]
        return format_html(
            "<p>{} in all.</p><ul>{}</ul>",
            len(rows),
            format_html_join("", '<li><a href="{}">{}{}</a> ({})</li>', rows),
        )
