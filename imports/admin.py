from django.contrib import admin
from django.utils.html import format_html, format_html_join

from actions.admin.display import RecordAdmin

from .models import PlanImport


@admin.register(PlanImport)
class PlanImportAdmin(RecordAdmin):
    """Every import: who, when, which file and what it changed. Written only by imports."""

    list_display = [
        "file_name",
        "kind",
        "plan_name",
        "status",
        "uploaded_by",
        "uploaded_at",
        "summary",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["plan", "uploaded_by"]
    search_fields = ["file_name", "plan_slug", "uploaded_by__username"]
    date_hierarchy = "uploaded_at"
    fields = [
        "file_name",
        "file_size",
        "kind",
        "plan",
        "status",
        "uploaded_by",
        "uploaded_at",
        "confirmed_at",
        "summary",
        "what_it_changed",
        "left_to_check",
    ]
    readonly_fields = fields

    @admin.display(description="plan")
    def plan_name(self, record):
        return record.plan.name if record.plan else record.plan_slug

    @admin.display(description="summary")
    def summary(self, record):
        counts = (record.changes or record.preview).get("counts")
        if not counts:
            return "–"
        return (
            f"{counts['add']} added, {counts['change']} changed, {counts['close']} closed, "
            f"{counts['remove']} removed, {counts['same']} left alone"
        )

    @admin.display(description="what it changed")
    def what_it_changed(self, record):
        lines = [
            (
                theme["name"],
                entry.get("reference") or "",
                entry["action"],
                "; ".join(
                    f"{label}: “{before}” → “{after}”"
                    for label, before, after in entry.get("changes", [])
                ),
            )
            for theme in record.changes.get("themes", [])
            for entry in theme["actions"]
        ]
        if not lines:
            return "Nothing" if record.status == PlanImport.CONFIRMED else "Not confirmed"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {} {}</li>", lines))

    @admin.display(description="left for a person to check")
    def left_to_check(self, record):
        if not record.warnings:
            return "Nothing"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        f"Row {item['row']}: date to be confirmed: {item['message']}"
                        if item["kind"] == "date_to_confirm"
                        else f"New lead {item['shown']} (rows {', '.join(map(str, item['rows']))})",
                    )
                    for item in record.warnings
                ),
            ),
        )
