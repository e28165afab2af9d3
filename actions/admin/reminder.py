from django.contrib import admin

from actions.models import DateConfirmation, Reminder

from .display import RecordAdmin


@admin.register(Reminder)
class ReminderAdmin(RecordAdmin):
    """A log of the update reminders sent: written only by send_update_reminders."""

    list_display = ["recipient", "sent_on", "action_count", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "sent_on"
    search_fields = ["recipient__username", "email", "subject"]
    fields = ["recipient", "email", "sent_on", "sent_at", "action_count", "subject"]
    readonly_fields = fields


@admin.register(DateConfirmation)
class DateConfirmationAdmin(RecordAdmin):
    """Dates confirmed for actions whose timeframe was to be confirmed: history, read only
    (confirm a date on the data-quality page)."""

    list_display = ["action", "sub_step", "confirmed_on", "entered_by", "entered_at"]
    list_select_related = ["action", "sub_step", "entered_by"]
    fields = ["action", "sub_step", "confirmed_on", "reason", "entered_by", "entered_at"]
    readonly_fields = fields
