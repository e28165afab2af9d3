from datetime import date

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from simple_history.admin import SimpleHistoryAdmin

from .models import HEADER_FIELDS, QuarterlyReport
from .services import quarterly_report_correct


def _is_superuser(request):
    return request.user.is_active and request.user.is_superuser


class QuarterFilter(admin.SimpleListFilter):
    """The quarters reports were published for, newest first, by name (a date filter's
    "Today" and "Past 7 days" mean nothing for a quarter's end)."""

    title = "quarter"
    parameter_name = "quarter_ends_on"

    def lookups(self, request, model_admin):
        named = {}
        for ends_on, name in (
            QuarterlyReport.objects.order_by("-quarter_ends_on", "-version")
            .values_list("quarter_ends_on", "quarter_name")
            .distinct()
        ):
            named.setdefault(ends_on.isoformat(), name)
        return list(named.items())

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            return queryset.filter(quarter_ends_on=date.fromisoformat(self.value()))
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    """Published reports are history: plan administrators read them here (and publish on
    the reports pages); only a superuser may correct a header field or delete one."""

    list_display = ["plan_name", "quarter_name", "version", "published_at", "published_by_name"]
    list_filter = ["plan", QuarterFilter]
    search_fields = ["plan_name", "quarter_name", "subject"]
    date_hierarchy = "published_at"
    header = [name for name, _ in HEADER_FIELDS]
    recorded = [
        "plan",
        "plan_name",
        "quarter_ends_on",
        "quarter_name",
        "version",
        "replaces",
        "published_at",
        "published_by_name",
        "compared_with_name",
        "wording",
    ]
    fields = recorded + header

    def get_readonly_fields(self, request, obj=None):
        return self.recorded if _is_superuser(request) else self.recorded + self.header

    def has_add_permission(self, request):
        # Publishing freezes every position in one transaction: the reports pages and the
        # publish_quarterly_report command do it, never a bare admin form.
        return False

    def has_change_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return _is_superuser(request)

    def save_model(self, request, obj, form, change):
        quarterly_report_correct(report=obj, corrected_by=request.user)

    def delete_model(self, request, obj):
        obj.delete(deleted_by=request.user)

    def delete_queryset(self, request, queryset):
        # Newest first: a later version protects the one it replaces.
        for report in queryset.order_by("-version"):
            report.delete(deleted_by=request.user)
