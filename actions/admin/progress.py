from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from actions.forms import ProgressUpdateForm
from actions.models import ProgressUpdate
from actions.services import progress_update_record
from cypeplan.forms import SavedOnceForm, full_stop_after

from .display import as_at


class ProgressUpdateAddForm(SavedOnceForm):
    # The update is saved under the form's one-time key, as on the update page; and, as
    # there, one saying all that its person's newest update on the action says is a repeat.
    # All an update says is what the officers' form asks, in its order.
    content_fields = ProgressUpdateForm.Meta.fields

    def saved_under(self, key):
        return ProgressUpdate.objects.filter(key=key).select_related("action").first()

    def already_saved(self, saved):
        return (
            f"This form has already been saved: the update “{saved}” is in the progress "
            f"history of “{saved.action}”{full_stop_after(saved.action)} To record another "
            "update, start a new form."
        )

    def newest_added(self, person):
        action = self.cleaned_data.get("action")
        if action is None:
            return None
        return action.progress_updates.newest_entered_by(person)

    def already_added(self, record):
        return format_html(
            'You added this update to “{}” already: “<a href="{}">{}</a>”, entered at {} on {}.',
            record.action,
            reverse("admin:actions_progressupdate_change", args=[record.pk]),
            record,
            date_format(timezone.localtime(record.entered_at), "H:i"),
            date_format(timezone.localtime(record.entered_at), "j F Y"),
        )


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    """Updates are history: anyone allowed adds one through progress_update_record, and
    only a superuser may correct or delete one."""

    list_display = ["action", "reported_on", "status", "rag", "entered_by", "entered_at"]
    list_filter = ["status", "rag", "action__theme__plan"]
    list_select_related = ["action", "entered_by"]
    date_hierarchy = "reported_on"
    search_fields = [
        "action__reference",
        "action__description",
        "working_well",
        "worried_about",
        "evidence",
    ]
    autocomplete_fields = ["action"]
    # The action it is on, and all that an update says.
    add_fields = ["action", *ProgressUpdateAddForm.content_fields]
    recorded_fields = ["progress_as_written", "entered_by", "entered_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action", "entered_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*self.add_fields, "form_key", "record_again"]
        return self.add_fields + self.recorded_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ProgressUpdateAddForm.for_person(request.user)
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["entered_by", "entered_at"]

    def get_changeform_initial_data(self, request):
        return {"reported_on": as_at(request), **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            # Only a superuser gets here: a correction, saved as they entered it.
            super().save_model(request, obj, form, change)
            return
        # The form has already checked the update rules; the service checks them again
        # with the action locked, and is the one way an update is added. It gets every
        # field the form offers: one left out would be accepted and silently dropped.
        key = form.cleaned_data["form_key"]
        try:
            update = progress_update_record(
                entered_by=request.user,
                key=key,
                **{name: getattr(obj, name) for name in self.add_fields},
            )
        except ValidationError:
            # The same form sent twice at once: the first saved it, and that is the update.
            update = key and ProgressUpdate.objects.filter(key=key).first()
            if not update:
                raise
        # The admin logs the addition and redirects using obj, so obj becomes the saved row.
        for field in ProgressUpdate._meta.concrete_fields:
            setattr(obj, field.attname, getattr(update, field.attname))
        obj._state.adding = False
        obj._state.db = update._state.db
