"""How the admin shows dates, yes/no flags and long text, and what "today" is."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator


def as_at(request):
    """Today, read once per request so every column and filter on a page agrees."""
    if not hasattr(request, "admin_as_at"):
        request.admin_as_at = timezone.localdate()
    return request.admin_as_at


def day(value):
    return date_format(value, "j M Y")


def yes_no(value):
    return "Yes" if value else "No"


def shortened(text, length=120):
    return Truncator(text).chars(length)


class RecordAdmin(admin.ModelAdmin):
    """A record the app writes and people only read: no adding, changing or deleting."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
