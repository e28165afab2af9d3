from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from actions import hooks
from actions.models import (
    Action,
    DateConfirmation,
    ProgressUpdate,
    Status,
    SubStep,
    rag_words,
)
from actions.models.action import added_on_for
from actions.models.rules import NEWEST_FIRST
from cypeplan.admin_forms import LabelledInlineFormSet
from cypeplan.history_admin import HistoryAdmin

from .display import as_at, day, links_named, shortened, yes_no
from .filters import AtRiskFilter, OverdueFilter, RAGFilter, StaleFilter, StatusFilter
from .timeframe import TimeframeAsWrittenForm


class SubStepForm(TimeframeAsWrittenForm):
    class Meta:
        model = SubStep
        fields = ["action", "position", "description"]


def confirmed_steps(steps):
    """{sub-step id: why it is kept, in words} for those of `steps` with a date a person
    confirmed: deleting the step would delete who confirmed it and why. One query."""
    kept = {}
    for confirmation in DateConfirmation.objects.filter(sub_step__in=steps).select_related(
        "entered_by"
    ):
        person = confirmation.entered_by
        kept.setdefault(
            confirmation.sub_step_id,
            f"its date was confirmed ({confirmation.confirmed_on:%-d %B %Y}, confirmed by "
            f"{person.get_full_name() or person.username} on "
            f"{timezone.localtime(confirmation.entered_at):%-d %B %Y})",
        )
    return kept


class SubStepInline(admin.TabularInline):
    model = SubStep
    form = SubStepForm
    formset = LabelledInlineFormSet
    fields = ["position", "description", "timeframe_label", "left_plan_on"]
    readonly_fields = ["left_plan_on"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("timeframe")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class KeepsConfirmedSteps(formset.form):
            # The admin's own check refuses only rows the database protects; a step's
            # date confirmation would go with it (history, never deleted).
            def hand_clean_DELETE(self):
                super().hand_clean_DELETE()
                if self.cleaned_data.get(DELETION_FIELD_NAME) and self.instance.pk:
                    why = confirmed_steps([self.instance]).get(self.instance.pk)
                    if why:
                        raise ValidationError(
                            f"Sub-step “{self.instance}” can’t be deleted: {why}."
                        )

        formset.form = KeepsConfirmedSteps
        return formset


class ActionForm(TimeframeAsWrittenForm):
    class Meta:
        model = Action
        exclude = ["timeframe"]


class ProgressUpdateInline(admin.TabularInline):
    """The action's progress history, read only: updates are added, never edited here."""

    model = ProgressUpdate
    verbose_name_plural = "progress history, newest first"
    fields = [
        "reported_on",
        "status",
        "rag",
        "entered_by",
        "working_well_shortened",
        "worried_about_shortened",
        "evidence_shortened",
    ]
    readonly_fields = fields
    ordering = list(NEWEST_FIRST)
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entered_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="working well")
    def working_well_shortened(self, update):
        return shortened(update.working_well)

    @admin.display(description="worried about")
    def worried_about_shortened(self, update):
        return shortened(update.worried_about)

    @admin.display(description="evidence")
    def evidence_shortened(self, update):
        return shortened(update.evidence or update.evidence_links)


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    list_display = [
        "reference",
        "short_description",
        "theme",
        "lead",
        "due_on",
        "latest_status",
        "rag_on",
        "overdue",
        "at_risk",
        "stale",
    ]
    list_display_links = ["reference", "short_description"]
    list_filter = [
        "theme__plan",
        "theme",
        "lead",
        "lead__division",
        StatusFilter,
        RAGFilter,
        OverdueFilter,
        AtRiskFilter,
        StaleFilter,
    ]
    list_select_related = ["theme", "lead", "timeframe"]
    search_fields = [
        "reference",
        "description",
        "expected_outcome",
        "lead__name",
        "lead__initials",
    ]
    autocomplete_fields = ["theme", "lead", "supporting_leads"]
    form = ActionForm
    inlines = [SubStepInline, ProgressUpdateInline]
    readonly_fields = ["position_today", "progress_update_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_state(as_at(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {"fields": ["theme", "position", "reference", "description", "expected_outcome"]},
            ),
            ("Who and when", {"fields": ["lead", "supporting_leads", "timeframe_label"]}),
            (
                "Where it comes from",
                {"fields": ["answers", "delivered_through", "performance_measures"]},
            ),
        ]
        if obj is not None:
            # Set when it is added (added_on_for); kept right here if that day was wrong.
            fieldsets[0][1]["fields"].append("added_on")
            progress = ["position_today"]
            if self.admin_site.get_model_admin(ProgressUpdate).has_add_permission(request):
                progress.append("progress_update_link")
            fieldsets.append(("Progress", {"fields": progress}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_on = added_on_for(obj.theme.plan, timezone.localdate())
        super().save_model(request, obj, form, change)

    def delete_view(self, request, object_id, extra_context=None):
        """An action with progress history, or that other apps' records are about (members
        asked about it), can't be deleted (history is kept for good): say so, and offer to
        close it instead, rather than Django's dead end or a silent loss of the link."""
        action = self.get_object(request, object_id)
        if action is not None and self.has_delete_permission(request, action):
            updates = action.progress_updates.count()
            kept = hooks.actions_kept([action.pk]).get(action.pk, [])
            if updates or kept:
                return TemplateResponse(
                    request,
                    "admin/actions/action/cannot_delete.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": "This action can’t be deleted",
                        "action": action,
                        "updates": updates,
                        "kept": kept,
                        "opts": self.model._meta,
                        "close_url": reverse("actions:record_update", args=[action.pk]),
                        "change_url": reverse("admin:actions_action_change", args=[action.pk]),
                    },
                )
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # "Delete selected" doesn't pass through delete_view: an action other apps' records
        # are about stops it too, named with why, as a progress update does.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        deleted, counts = links_named(
            deleted,
            counts,
            links=Action.supporting_leads.through.objects.filter(action__in=objs).select_related(
                "lead"
            ),
            words=lambda link: f"Supporting lead: {link.lead}",
            plural="supporting leads",
        )
        actions = {action.pk: action for action in objs}
        kept = hooks.actions_kept(actions)
        protected = [
            *protected,
            *(
                f"Action {str(actions[pk]).rstrip('.')}: {'; '.join(why)}"
                for pk, why in kept.items()
            ),
        ]
        return deleted, counts, perms_needed, protected

    def changelist_view(self, request, extra_context=None):
        subtitle = f"Status, RAG and flags as at {day(as_at(request))}"
        return super().changelist_view(request, {"subtitle": subtitle, **(extra_context or {})})

    @admin.display(description="action", ordering="description")
    def short_description(self, action):
        return shortened(action.description, 100)

    @admin.display(description="due", ordering="due_on")
    def due_on(self, action):
        if action.due_on and action.due_on != action.original_due_on:
            planned = day(action.original_due_on) if action.original_due_on else "no date"
            return f"{day(action.due_on)} (revised; the plan said {planned})"
        if action.due_on:
            return day(action.due_on)
        return "Ongoing" if action.timeframe.is_ongoing else action.timeframe.label

    @admin.display(ordering="latest_status")
    def latest_status(self, action):
        return Status(action.latest_status).label

    @admin.display(description="RAG (date)", ordering="latest_rag")
    def rag_on(self, action):
        if action.latest_reported_on is None:
            return "No update yet"
        words = rag_words(action.latest_status, action.latest_rag)
        return f"{words} ({day(action.latest_reported_on)})"

    @admin.display(ordering="is_overdue")
    def overdue(self, action):
        return yes_no(action.is_overdue)

    @admin.display(ordering="is_at_risk")
    def at_risk(self, action):
        return yes_no(action.is_at_risk)

    @admin.display(ordering="is_stale")
    def stale(self, action):
        return yes_no(action.is_stale)

    @admin.display(description="as at today")
    def position_today(self, action):
        if action.is_finished:
            return f"{self.rag_on(action)}."
        return (
            f"{self.latest_status(action)}. RAG: {self.rag_on(action)}. "
            f"Overdue: {self.overdue(action)}. At risk: {self.at_risk(action)}. "
            f"Stale: {self.stale(action)}."
        )

    @admin.display(description="record progress")
    def progress_update_link(self, action):
        url = reverse("admin:actions_progressupdate_add")
        return format_html(
            '<a href="{}?{}">Add a progress update for this action</a>',
            url,
            urlencode({"action": action.pk}),
        )


@admin.register(SubStep)
class SubStepAdmin(SimpleHistoryAdmin):
    list_display = ["short_description", "action", "position", "timeframe", "left_plan_on"]
    list_select_related = ["action", "timeframe"]
    search_fields = ["description", "action__reference", "action__description"]
    autocomplete_fields = ["action"]
    form = SubStepForm
    fields = ["action", "position", "description", "timeframe_label", "left_plan_on"]
    readonly_fields = ["left_plan_on"]

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = confirmed_steps(objs)
        steps = {step.pk: step for step in objs}
        protected = [*protected, *(f"Sub-step {steps[pk]}: {why}" for pk, why in kept.items())]
        return deleted, counts, perms_needed, protected

    @admin.display(description="sub-step", ordering="description")
    def short_description(self, sub_step):
        return shortened(sub_step.description, 100)
