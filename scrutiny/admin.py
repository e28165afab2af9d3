"""Admin for scrutiny officers and plan administrators: meetings and items, with history.
Answers and an item's steps are history: shown here, recorded only through the pages
(scrutiny.services), and changed by nobody but a superuser."""

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cypeplan.forms import SavedOnceForm, full_stop_after
from cypeplan.history_admin import HistoryAdmin

from .models import Change, Item, Meeting, Response, StateChange
from .notices import (
    TAKEN_OFF,
    answer_no_longer_owed_by,
    answer_owed_because,
    answer_owed_notify,
    answer_owed_tell,
)
from .services import item_raise, meeting_change


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    """A meeting with items, or the committee's decisions, keeps its date once held: they
    are dated the day of it, and their history and every action list as at a date read
    from it. One not yet held (dated after
    today) may be put off or put right, and its items move with it (meeting_change)."""

    list_display = ["held_on", "committee", "minute_numbers"]
    list_filter = ["committee"]
    date_hierarchy = "held_on"
    search_fields = ["committee", "minute_numbers"]

    kept_help = (
        "Its date is kept: items were raised, or the committee’s decisions taken, at this "
        "meeting on that date, and their history and every action list read from it."
    )
    movable_help = (
        "This meeting is dated after today, so it has not been held yet and nothing can be "
        "recorded on its items. If it was put off, or its date is wrong, change its date: "
        "its items move with it."
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self._has_records(obj) and obj.is_held():
            return ["held_on"]
        return []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self._has_records(obj):
            return fieldsets
        said = self.kept_help if obj.is_held() else self.movable_help
        return [(None, {**fieldsets[0][1], "description": said})]

    @staticmethod
    def _has_records(meeting):
        """Asked once per meeting, though the admin asks several times a page."""
        if not hasattr(meeting, "_has_records"):
            meeting._has_records = meeting.has_records()
        return meeting._has_records

    def save_model(self, request, obj, form, change):
        if change:
            meeting_change(meeting=obj)
        else:
            super().save_model(request, obj, form, change)


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


class ItemAddForm(SavedOnceForm):
    # The item is raised under the form's one-time key, as on the add-item page. One
    # saying what its person's newest item at the meeting says (what members asked, of
    # whom, by when) is a repeat, wherever it was placed and whichever actions it names:
    # to change those, they change the item already added.
    content_fields = ["kind", "words", "minute", "answerer", "answerer_as_minuted", "due_on"]

    def saved_under(self, key):
        return Item.objects.filter(key=key).select_related("meeting").first()

    def already_saved(self, saved):
        return format_html(
            'This form has already been saved: the item “<a href="{}">{}</a>” is recorded '
            "at the meeting of {}. To add another item, start a new form.",
            reverse("admin:scrutiny_item_change", args=[saved.pk]),
            saved,
            date_format(saved.meeting.held_on, "j F Y"),
        )

    def newest_added(self, person):
        meeting = self.cleaned_data.get("meeting")
        if meeting is None:
            return None
        raised = meeting.items.filter(
            state_changes__change=Change.RAISED, state_changes__entered_by=person
        )
        return raised.order_by("-pk").first()

    def already_added(self, record):
        return format_html(
            'You added this item at the meeting of {} already: “<a href="{}">{}</a>”{}',
            date_format(record.meeting.held_on, "j F Y"),
            reverse("admin:scrutiny_item_change", args=[record.pk]),
            record,
            full_stop_after(record),
        )


@admin.register(Item)
class ItemAdmin(HistoryAdmin):
    """Adding an item raises it through item_raise, so it is open from its meeting's date.
    An item's meeting never changes afterwards: its history starts there. Once it is on
    record (answered, decided, or on a later meeting's action list), what it asked, its
    kind, who must answer and by when don't either."""

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

    # What an item on record keeps: its words are what members asked and its due date
    # what the officer was told, its kind says whether it is owed an answer (and so
    # whether it is on the action list at all), and who must answer is whom past lists
    # named. Changing any of them would rewrite action lists already printed.
    kept_on_record = ["kind", "words", "answerer", "answerer_as_minuted", "due_on"]
    kept_help = (
        "Its kind, words, who must answer and due date are kept as they are: the item has "
        "been answered, decided or printed on a later meeting’s action list, and past action "
        "lists and its history read from them. If one is wrong, "
        "withdraw this item with the reason (Record the committee’s decision on its page) "
        "and record a new one."
    )

    def get_fields(self, request, obj=None):
        return [*self.fields, "form_key", "record_again"] if obj is None else self.fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ItemAddForm.for_person(request.user)
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if self._on_record(obj):
            return ["meeting", *self.kept_on_record]
        return ["meeting"]

    def get_fieldsets(self, request, obj=None):
        # Said once above the fields, not under each of the five it keeps.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self._on_record(obj):
            return [(None, {**fieldsets[0][1], "description": self.kept_help})]
        return fieldsets

    @staticmethod
    def _on_record(item):
        """Asked once per item, though the admin asks for the read-only fields several
        times a page."""
        if not hasattr(item, "_on_record"):
            item._on_record = item.is_on_record()
        return item._on_record

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            # Someone else named to answer it, or a new date: tell who owes it now, and
            # who owed it and doesn't any more, once the admin's transaction commits.
            if because := answer_owed_because(form.changed_data):
                transaction.on_commit(
                    lambda: answer_owed_tell(request, answer_owed_notify(item=obj, because=because))
                )
            if taken_off := answer_no_longer_owed_by(form):
                transaction.on_commit(
                    lambda: answer_owed_tell(
                        request,
                        answer_owed_notify(item=obj, because=TAKEN_OFF, lead_taken_off=taken_off),
                    )
                )
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
            key=form.cleaned_data.get("form_key"),
        )
        obj.pk, obj.key = raised.pk, raised.key
        obj._state.adding = False
        if raised.sent_before:
            # The same form sent twice at once: the first raised it and emailed about it.
            return
        # The admin saves in a transaction: email who owes the answer once it commits.
        transaction.on_commit(lambda: answer_owed_tell(request, answer_owed_notify(item=raised)))


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
