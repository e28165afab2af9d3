"""How the admin shows dates, yes/no flags and long text, and what "today" is."""

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst


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


def links_named(deleted, counts, *, links, words, plural):
    """Django names the rows linking two records (an action's supporting lead, a lead's
    delegate) on a delete page by their table, "Action_supporting_leads object (13)": name
    them in words instead: `links` are those rows (a QuerySet), `words` says each one,
    `plural` is what their count is called."""
    opts = links.model._meta
    names = {f"{capfirst(opts.verbose_name)}: {row}": words(row) for row in links}
    counts = {
        (plural if name == opts.verbose_name_plural else name): count
        for name, count in counts.items()
    }

    def named(items):
        return [named(item) if isinstance(item, list) else names.get(item, item) for item in items]

    return named(deleted), counts
