from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Timeframe

from .display import day, yes_no


@admin.register(Timeframe)
class TimeframeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "starts_on", "due_on", "milestone_list", "ongoing", "qualifier"]
    list_filter = ["is_ongoing"]
    search_fields = ["label"]
    fieldsets = [
        (None, {"fields": ["label"]}),
        (
            "What the label means",
            {
                "description": "Worked out from the label each time it is saved: "
                "change the label to change these.",
                "fields": ["starts_on", "due_on", "milestone_list", "ongoing", "qualifier"],
            },
        ),
    ]
    readonly_fields = ["starts_on", "due_on", "milestone_list", "ongoing", "qualifier"]

    @admin.display(description="milestones")
    def milestone_list(self, timeframe):
        return ", ".join(day(milestone) for milestone in timeframe.milestone_dates)

    @admin.display(ordering="is_ongoing")
    def ongoing(self, timeframe):
        return yes_no(timeframe.is_ongoing)
