from django.contrib import admin

from actions.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """A log of the update reminders sent: written only by send_update_reminders."""

    list_display = ["recipient", "sent_on", "action_count", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "sent_on"
    search_fields = ["recipient__username", "email", "subject"]
    fields = ["recipient", "email", "sent_on", "sent_at", "action_count", "subject"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
