from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from cypeplan.admin_forms import LabelledInlineFormSet

from .models import Plan, Saving, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    formset = LabelledInlineFormSet
    fields = ["name", "position", "reference", "mtfs_ref", "project_manager"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_on", "ends_on", "theme_count", "synthetic"]
    list_filter = ["is_synthetic"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(theme_count=Count("themes"))

    @admin.display(description="themes", ordering="theme_count")
    def theme_count(self, plan):
        return plan.theme_count

    @admin.display(description="demo data", ordering="is_synthetic")
    def synthetic(self, plan):
        return "Yes" if plan.is_synthetic else "No"


class SavingInline(admin.TabularInline):
    model = Saving
    formset = LabelledInlineFormSet
    fields = ["year", "amount_thousands"]
    extra = 0


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "plan",
        "position",
        "reference",
        "mtfs_ref",
        "project_manager",
    ]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["name", "reference", "mtfs_ref", "project_manager", "plan__name"]
    fields = [
        "plan",
        "name",
        "position",
        "reference",
        "description",
        "mtfs_ref",
        "project_manager",
        "performance_measures",
    ]
    inlines = [SavingInline]

    def get_readonly_fields(self, request, obj=None):
        # A theme stays in the plan it was added to: moving it would carry its actions
        # and their progress into another plan's past. One added to the wrong plan is
        # deleted (it can be while it has no actions) and added again.
        if obj is not None:
            return ["plan", *super().get_readonly_fields(request, obj)]
        return super().get_readonly_fields(request, obj)


@admin.register(Saving)
class SavingAdmin(admin.ModelAdmin):
    list_display = ["theme", "plan", "year", "amount_thousands"]
    list_filter = ["theme__plan", "year"]
    list_select_related = ["theme__plan"]
    search_fields = ["theme__name", "theme__mtfs_ref", "year"]
    autocomplete_fields = ["theme"]

    @admin.display(ordering="theme__plan__name")
    def plan(self, saving):
        return saving.theme.plan
