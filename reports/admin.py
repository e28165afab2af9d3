from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import HEADER_FIELDS, QuarterlyReport
from .services import quarterly_report_correct


def _is_superuser(request):
    return request.user.is_active and request.user.is_superuser


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    """Published reports are history: plan administrators read them here (and publish on
    the reports pages); only a superuser may correct a header field or delete one."""

    list_display = ["plan_name", "quarter_name", "version", "published_at", "published_by_name"]
    list_filter = ["plan", "quarter_ends_on"]
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
