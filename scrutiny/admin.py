"""Admin for scrutiny officers and plan administrators: meetings and items, with history.
Answers and an item's steps are history: shown here, recorded only through the pages
(scrutiny.services), and changed by nobody but a superuser."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Change, Item, Meeting, Response, StateChange
from .services import item_raise


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "committee", "minute_numbers"]
    list_filter = ["committee"]
    date_hierarchy = "held_on"
    search_fields = ["committee", "minute_numbers"]

    def get_readonly_fields(self, request, obj=None):
        # Its items were raised on its date, and their history (and every action list as
        # at a date) is dated from it: a meeting with items keeps its date.
        if obj is not None and obj.items.exists():
            return ["held_on"]
        return []


class StateChangeInline(admin.TabularInline):
    model = StateChange
    fields = ["on", "change", "state", "meeting", "reason", "due_on", "entered_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["on", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ResponseInline(admin.StackedInline):
    model = Response
    fields = ["responded_on", "text", "evidence", "evidence_links", "considers_answered"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["responded_on", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    """Adding an item raises it through item_raise, so it is open from its meeting's date.
    An item's meeting never changes afterwards: its history starts there. Once it has been
    answered or decided, its kind and who must answer don't either."""

    list_display = ["__str__", "kind", "meeting", "minute", "answerer", "due_on"]
    list_filter = ["kind", "meeting"]
    list_select_related = ["meeting", "answerer"]
    search_fields = ["words", "minute", "answerer_as_minuted", "answerer__name"]
    autocomplete_fields = ["answerer", "actions"]
    fields = [
        "meeting",
        "position",
        "kind",
        "words",
        "minute",
        "answerer",
        "answerer_as_minuted",
        "due_on",
        "actions",
    ]
    inlines = [StateChangeInline, ResponseInline]

    # What an answered or decided item keeps: its kind says whether it is owed an answer
    # (and so whether it is on the action list at all), and who must answer is whom past
    # lists named. Changing either would rewrite every action list as at a past date.
    kept_once_under_way = ["kind", "answerer", "answerer_as_minuted"]
    kept_help = (
        "Kept as it is: the item has been answered or decided, and past action lists and "
        "its history read from it. If it is wrong, withdraw this item with the reason "
        "(Record the committee’s decision on its page) and record a new one."
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self._under_way(obj):
            return ["meeting", *self.kept_once_under_way]
        return ["meeting"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self._under_way(obj):
            kwargs["help_texts"] = dict.fromkeys(self.kept_once_under_way, self.kept_help)
        return super().get_form(request, obj, change, **kwargs)

    @staticmethod
    def _under_way(item):
        """Any step beyond being raised, or any answer: asked once per item, though the admin
        asks for the read-only fields several times a page."""
        if not hasattr(item, "_under_way"):
            steps = item.state_changes.exclude(change=Change.RAISED)
            item._under_way = steps.exists() or item.responses.exists()
        return item._under_way

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The item and its first step together; save_related then sets its actions.
        raised = item_raise(
            meeting=obj.meeting,
            kind=obj.kind,
            words=obj.words,
            minute=obj.minute,
            answerer=obj.answerer,
            answerer_as_minuted=obj.answerer_as_minuted,
            due_on=obj.due_on,
            position=obj.position,
            entered_by=request.user,
        )
        obj.pk, obj.key = raised.pk, raised.key
        obj._state.adding = False


class HistoryOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Response)
class ResponseAdmin(HistoryOnlyAdmin):
    list_display = ["item", "responded_on", "considers_answered", "entered_by", "entered_at"]
    list_select_related = ["item", "entered_by"]
    date_hierarchy = "responded_on"
    search_fields = ["text", "evidence", "item__words"]
    readonly_fields = ["entered_by", "entered_at"]


@admin.register(StateChange)
class StateChangeAdmin(HistoryOnlyAdmin):
    list_display = ["item", "on", "change", "state", "meeting", "entered_by"]
    list_filter = ["change", "state"]
    list_select_related = ["item", "meeting", "entered_by"]
    date_hierarchy = "on"
    readonly_fields = ["entered_by", "entered_at"]
