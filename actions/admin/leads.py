from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Division, Lead, people_who_may_record_updates
from cypeplan.history_admin import HistoryAdmin

from .display import links_named


@admin.register(Division)
class DivisionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "director", "position", "lead_count"]
    list_select_related = ["director"]
    search_fields = ["name"]
    autocomplete_fields = ["director"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(lead_count=Count("leads"))

    @admin.display(description="leads", ordering="lead_count")
    def lead_count(self, division):
        return division.lead_count


class LeadForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The account a lead signs in with records their progress: offer only those who may
        # (never a councillor's, a scrutiny officer's or a closed account), and keep the one
        # it has. One query for the choices.
        kept = [self.instance.user_id] if self.instance.user_id else []
        user = self.fields["user"]
        user.queryset = user.queryset.model._default_manager.filter(
            Q(pk__in=people_who_may_record_updates().values("pk")) | Q(pk__in=kept)
        ).order_by("username")
        user.label = "Account they sign in with"
        user.help_text = (
            "Only officers and plan administrators whose accounts are open are offered: the "
            "lead records progress on their actions with it."
        )

    def clean_user(self):
        # Django's own message ("Lead with this User already exists.") names neither.
        user = self.cleaned_data["user"]
        other = user and Lead.objects.filter(user=user).exclude(pk=self.instance.pk).first()
        if other:
            raise ValidationError(
                f"The account {user.username} already signs in as {other}: each account is "
                f"one person. Choose another account, or first take it off {other}."
            )
        return user

    def clean_delegates(self):
        # As on the lead's page: a delegate records progress for the lead, so only someone
        # who may record progress, other than the lead, is added. Those already delegates
        # stay (unticking them is how they are taken off).
        delegates = self.cleaned_data["delegates"]
        before = set(self.instance.delegates.all()) if self.instance.pk else set()
        user = self.cleaned_data.get("user")
        allowed = set(people_who_may_record_updates().filter(pk__in=delegates))
        refused = [
            person
            for person in delegates
            if person not in before and (person not in allowed or person == user)
        ]
        if refused:
            names = ", ".join(person.get_full_name() or person.username for person in refused)
            raise ValidationError(
                f"Can’t be a delegate: {names}. A delegate records progress for this lead, so "
                "must be an officer or plan administrator who can sign in, and not the lead."
            )
        return delegates


@admin.register(Lead)
class LeadAdmin(HistoryAdmin):
    list_display = ["lead", "job_title", "division", "can_sign_in", "action_count"]
    list_filter = ["division"]
    list_select_related = ["division", "user"]
    search_fields = ["name", "initials", "job_title"]
    fields = ["name", "initials", "job_title", "division", "user", "delegates"]
    form = LeadForm
    # Tick boxes, not Django's two-list widget (its search icons misuse aria-label).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("actions"))

    def get_deleted_objects(self, objs, request):
        # Deleting a lead would quietly take them off every action they support (the
        # action's own history keeping only "Deleted lead"): name those actions as what
        # stops it, as the actions they lead are.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        deleted, counts = links_named(
            deleted,
            counts,
            links=Lead.delegates.through.objects.filter(lead__in=objs).select_related("user"),
            words=lambda link: f"Delegate: {link.user}",
            plural="delegates",
        )
        deleted, counts = links_named(
            deleted,
            counts,
            links=Action.supporting_leads.through.objects.filter(lead__in=objs).select_related(
                "action"
            ),
            words=lambda link: f"Supports: {link.action}",
            plural="actions they support",
        )
        supported = Action.objects.filter(supporting_leads__in=objs).distinct()
        protected = [*protected, *(f"Action they support: {action}" for action in supported)]
        return deleted, counts, perms_needed, protected

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain list of sign-ins: autocomplete would need permission to view users.
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model._default_manager.order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(ordering="name")
    def lead(self, lead):
        return str(lead)

    @admin.display(description="actions led", ordering="action_count")
    def action_count(self, lead):
        return lead.action_count

    @admin.display(description="can sign in", ordering="user__username")
    def can_sign_in(self, lead):
        """Whether the lead has an account they can use, in words (never an icon alone)."""
        if lead.user is None:
            return "No: no account linked"
        if not lead.user.is_active:
            return f"No: {lead.user.username} is switched off"
        return f"Yes, as {lead.user.username}"
