"""The admin site: Django's, with malformed input refused where it comes in and search that
finds words as people type them, for every model admin registered (ours and those of apps
added later)."""

import hashlib
import re
import uuid
from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .forms import WrittenText
from .history_admin import HistoryLineBreaksAside
from .inputs import (
    INTEGER_KEYS,
    DayFirstDateField,
    PlainIdChoiceField,
    PlainIdMultipleChoiceField,
    as_saved_back,
    has_words,
    plain_number,
)
from .search import SearchAdmin
from .unsent import keeping_what_was_sent

# A date hierarchy's ?reported_on__year=...: a year, month or day has at most 4 digits.
_DATE_PART = re.compile(r"__(?:year|month|day)$")
_SHORT_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)
# A number in a list filter's lookup (?plan=, ?theme__id__exact=) longer than any id.
_LONG_NUMBER = re.compile(r"[-+]?[0-9]{19,}", re.ASCII)

# More new rows than anyone adds in one save of an inline.
NEW_ROWS = 200

PLAIN_ID_FIELDS = {
    models.ForeignKey: {"form_class": PlainIdChoiceField},
    models.OneToOneField: {"form_class": PlainIdChoiceField},
    models.ManyToManyField: {"form_class": PlainIdMultipleChoiceField},
    # Dates are read day first, said when they can't be, and kept to the service's years.
    models.DateField: {"form_class": DayFirstDateField},
}


class TypedTextAdmin:
    """Text typed in the admin is kept as the app's own forms keep it (WrittenText): each
    line break one line feed, not the CR LF a browser sends, so the same words typed here
    and on a page are stored alike (history, exports, comparisons), and a box's limit
    counts a line break once, as the box itself does. For the admin's pages and their
    inlines alike. Fields of other kinds (an email address, a choice) keep their own."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", WrittenText)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Saved as it was found (text stored with CR LF, from an older import, reads the
        # same): the record is left as it is, since saving it would write a "Changed" entry
        # in its history (and a correction's side effects) for nothing anyone changed.
        if change and _as_stored(obj):
            return
        super().save_model(request, obj, form, change)


class CheckedInputsAdmin(TypedTextAdmin):
    """Related rows chosen by id are checked as plain numbers before any query, and rows
    in an inline can swap the values they must each hold alone (positions, names)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for db_field, options in PLAIN_ID_FIELDS.items():
            self.formfield_overrides.setdefault(db_field, {}).update(options)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        data = kwargs.get("data")
        if data is None:
            return kwargs
        initial = f"{prefix}-{INITIAL_FORM_COUNT}"
        total = f"{prefix}-{TOTAL_FORM_COUNT}"
        initial_count, total_count = plain_number(data.get(initial)), plain_number(data.get(total))
        # Counts the page never sent ("-1" passes Django's own check and then fails in the
        # database; "99999" builds thousands of empty rows) are the tampering they are:
        # Django then says the form's data "is missing or has been tampered with".
        if initial_count is None or total_count is None or total_count > initial_count + NEW_ROWS:
            data[initial] = data[total] = ""
        elif rows_gone(data, inline.model, prefix, initial_count):
            _gone_rows_made_new(data, inline.model, prefix, initial_count, total_count)
        return kwargs

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # A row that others depend on can't be deleted whoever asks: name those rows.
            # Django would say first that the person may not delete them (a scrutiny item,
            # a published report), as if a permission were all that was missing.
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def save_formset(self, request, form, formset, change):
        step_aside(formset)
        super().save_formset(request, form, formset, change)


def rows_gone(data, model, prefix, initial_count):
    """The row numbers of the inline's rows in `data` (a page sent) that held a record of
    `model` no longer there: a colleague deleted it after the page was opened."""
    posted = {
        number: plain_number(data.get(f"{prefix}-{number}-{model._meta.pk.name}", ""))
        for number in range(initial_count)
    }
    ids = {pk for pk in posted.values() if pk is not None}
    there = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    return [number for number, pk in posted.items() if pk is not None and pk not in there]


def _gone_rows_made_new(data, model, prefix, initial_count, total_count):
    """Moves the rows of records deleted meanwhile after the rest, as new rows holding what
    was typed in them. Django pairs the page's rows with the records still there in order,
    so each row after one deleted would show under the wrong record and the last would go
    missing (its words lost, the page never saving)."""
    gone = rows_gone(data, model, prefix, initial_count)
    order = [n for n in range(initial_count) if n not in gone] + gone
    order += list(range(initial_count, total_count))
    rows = {
        number: {
            key[len(f"{prefix}-{number}-") :]: data.getlist(key)
            for key in list(data)
            if key.startswith(f"{prefix}-{number}-")
        }
        for number in range(total_count)
    }
    for number in range(total_count):
        for field in rows[number]:
            del data[f"{prefix}-{number}-{field}"]
    for place, number in enumerate(order):
        for field, values in rows[number].items():
            data.setlist(f"{prefix}-{place}-{field}", values)
        if number in gone:
            data[f"{prefix}-{place}-{model._meta.pk.name}"] = ""
            data.pop(f"{prefix}-{place}-DELETE", None)
    data[f"{prefix}-{INITIAL_FORM_COUNT}"] = str(initial_count - len(gone))


def _unique_fields(model):
    """Fields that are unique together with others (or alone), per constraint."""
    groups = [set(c.fields) for c in model._meta.total_unique_constraints]
    groups += [set(fields) for fields in model._meta.unique_together]
    return set().union(*groups) if groups else set()


def step_aside(formset):
    """Before an inline's rows are saved, move each changed row's unique values out of
    the way, so two rows can swap them ("2" and "1", "2021/22" and "2022/23").

    Rows are saved one at a time and the database checks each save at once, so the first
    of two swapped rows would collide with the second. Stepping aside is an update()
    inside the admin's transaction: no history is written for it, and the saves that
    follow record only the values the administrator chose.
    """
    model = formset.model
    unique = _unique_fields(model)
    moving = [
        form
        for form in formset.initial_forms
        if form.instance.pk
        and form not in formset.deleted_forms
        and form.is_valid()
        and unique & set(form.changed_data)
    ]
    for number, form in enumerate(moving, start=1):
        aside = {}
        for name in unique & set(form.changed_data):
            field = model._meta.get_field(name)
            if isinstance(field, models.IntegerField):
                highest = model._default_manager.aggregate(models.Max(name))[f"{name}__max"]
                aside[name] = (highest or 0) + number
            elif isinstance(field, models.CharField):
                aside[name] = uuid.uuid4().hex[: field.max_length]
        if aside:
            model._default_manager.filter(pk=form.instance.pk).update(**aside)


class RevertKeepsReadOnlyFields:
    """Reverting to an earlier version (the History page) changes only what the page lets
    a person change: a field the page shows read only (a meeting's date once it has items,
    an answered item's kind and who must answer) keeps the value it has now, not the one
    it had in that version."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The version's row is what the page shows and saves: give it the values the page
        # keeps read only before the form is made from it.
        if getattr(request, "reverting_to_version", False) and obj is not None and obj.pk:
            current = type(obj)._default_manager.get(pk=obj.pk)
            names = set(self.get_readonly_fields(request, current))
            for field in obj._meta.concrete_fields:
                if field.name in names:
                    setattr(obj, field.attname, getattr(current, field.attname))
        return super().get_form(request, obj, change, **kwargs)


# Shown above what an administrator sent while signed out, now back on its page.
NOT_SAVED_YET = (
    "This is what you typed before you were signed out. Nothing has been saved yet: check "
    "it, then save it."
)


class KeptWhenSignedOutAdmin:
    """An add or change page saved after the session ended is kept, as the officers' forms
    are (cypeplan.unsent, wrapped round these pages by CouncilAdminSite): once signed in
    again the page comes back holding what was sent, its inlines' rows too, shown as a
    refused save shows it, with nothing saved until it is saved again. Who may see and
    save the page is checked as on any other request."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and getattr(request, "unsent", None) is not None:
            # A GET the CSRF check has passed: what it reads is what was sent, not the
            # record, and the form it makes refuses to save (get_form). Files aren't kept:
            # the GET's none are read first, before it passes for a POST.
            request.FILES.clear()
            request.method = "POST"
            request.POST = request.unsent
            request.sent_while_signed_out = True
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not getattr(request, "sent_while_signed_out", False):
            return form

        class NotSavedYet(form):
            def clean(self):
                self.add_error(None, NOT_SAVED_YET)
                return super().clean()

        return NotSavedYet


# The change form's record of what the record held when the page was made.
SEEN_AS = "_seen_as"


class ChangedMeanwhileAdmin:
    """A change form saved after someone else saved the same record (or the rows its
    inlines edit) since it was opened is refused, naming what they changed, and shown
    again as typed, now against the record as it stands: saving once more keeps it. The
    record is locked while the save is checked, so of two saves at once the second sees
    the first. Rows no one can change on the page (progress updates shown read only)
    don't count."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None and "_saveasnew" not in request.POST:
            to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
            if self.get_object(request, unquote(object_id), to_field) is None:
                # Django would say only "doesn't exist. Perhaps it was deleted?" on
                # another page, and what was typed would be gone.
                return self._deleted_meanwhile(request, unquote(object_id))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _deleted_meanwhile(self, request, object_id):
        """What was typed on the change page of a record that has gone, to copy: never
        saved, and the record not made again."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"This {opts.verbose_name} was deleted",
            "deletion": record_of_deletion(self.model, object_id),
            "typed": self._typed(request, object_id),
            "object_id": object_id,
            "changelist": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
            ),
        }
        return TemplateResponse(request, "admin/deleted_meanwhile.html", context)

    def _typed(self, request, object_id):
        """[(label, text, lines to show)] of what the page sent that a person types (words,
        dates, numbers), the record's own boxes first and then its inlines' rows."""
        # The page's boxes and inlines as they were offered for the record (gone now).
        gone = self.model(pk=object_id)
        form = self.get_form(request, gone, change=True)
        typed = _typed_in(form.base_fields, request.POST, prefix="")
        for formset, inline in self.get_formsets_with_inlines(request, gone):
            prefix = formset.get_default_prefix()
            rows = plain_number(request.POST.get(f"{prefix}-{TOTAL_FORM_COUNT}")) or 0
            for number in range(min(rows, NEW_ROWS)):
                heading = f"{capfirst(inline.verbose_name)} {number + 1}"
                typed += [
                    (f"{heading}: {label}", text, lines)
                    for label, text, lines in _typed_in(
                        formset.form.base_fields, request.POST, prefix=f"{prefix}-{number}-"
                    )
                ]
        return typed

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        if (
            change
            and obj is not None
            and obj.pk is not None
            and self.has_change_permission(request, obj)
        ):
            # Shown again after a refused save, `obj` holds what was typed: read it afresh.
            stored = (
                obj
                if request.method == "GET"
                else type(obj)._default_manager.filter(pk=obj.pk).first()
            )
            if stored is not None:
                context[SEEN_AS.lstrip("_")] = _encoded(self._stored_as(request, stored))
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        seen = request.POST.get(SEEN_AS) if request.method == "POST" else None
        if obj is None or obj.pk is None or seen is None or "_saveasnew" in request.POST:
            return form
        model_admin = self

        class CheckedNotChangedMeanwhile(form):
            def clean(self):
                cleaned = super().clean()
                # Held until the save commits: a second save at once waits, then sees it.
                type(obj)._default_manager.select_for_update().filter(pk=obj.pk).exists()
                then = _decoded(seen)
                stored = type(obj)._default_manager.filter(pk=obj.pk).first()
                if stored is None:
                    raise ValidationError(
                        f"Someone deleted this {obj._meta.verbose_name} as you saved it. "
                        "Nothing you typed has been saved: it is shown below, to copy."
                    )
                now = model_admin._stored_as(request, stored)
                changed = [
                    label for label, digest in now.items() if then.get(_digest(label)) != digest
                ]
                if changed and _saved_already(request, stored, now):
                    # The same page sent again (a double click on Save): the first saved
                    # it and nothing has changed since, so there is nothing to do.
                    request.saved_already = True
                elif changed:
                    taken = self.take_theirs_where_untouched(stored, then, changed)
                    gone = model_admin._rows_gone_named(request, stored)
                    raise ValidationError(
                        model_admin._changed_meanwhile_message(obj, changed, taken, gone)
                    )
                return cleaned

            def take_theirs_where_untouched(self, stored, then, changed):
                """The boxes of the fields the colleague changed that this person left as
                they were shown: filled again with the colleague's value, so that saving the
                page shown again keeps both people's changes. Returns their labels."""
                data = self.data.copy()
                taken = []
                for field in type(stored)._meta.get_fields():
                    if field.name not in self.fields or not (field.concrete or field.many_to_many):
                        continue
                    label = str(capfirst(field.verbose_name))
                    if label not in changed or field.name not in self.cleaned_data:
                        continue
                    typed = _stored_form(field, self.cleaned_data[field.name])
                    if then.get(_digest(label)) != _digest(as_saved_back(typed)):
                        continue  # They changed it too: what they typed stays, to choose.
                    key = self.add_prefix(field.name)
                    if field.many_to_many:
                        theirs = sorted(getattr(stored, field.name).values_list("pk", flat=True))
                        data.setlist(key, [str(pk) for pk in theirs])
                    else:
                        theirs = field.value_from_object(stored)
                        widget = self.fields[field.name].widget
                        if isinstance(widget, forms.CheckboxInput):
                            data.setlist(key, ["on"] if theirs else [])
                        else:
                            data[key] = "" if theirs is None else widget.format_value(theirs)
                    taken.append(label)
                self.data = data
                return taken

        return CheckedNotChangedMeanwhile

    def save_model(self, request, obj, form, change):
        if not getattr(request, "saved_already", False):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "saved_already", False):
            return
        super().save_related(request, form, formsets, change)
        if change and SEEN_AS in request.POST:
            _note_saved(request, form.instance, self._stored_as(request, form.instance))

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "saved_already", False):
            return []
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if not getattr(request, "saved_already", False):
            return super().log_change(request, obj, message)
        return None

    def message_user(self, request, message, *args, **kwargs):
        # The first save's "was changed successfully" may already be waiting to be shown.
        if getattr(request, "saved_already", False) and str(message) in _waiting(request):
            return
        super().message_user(request, message, *args, **kwargs)

    def _stored_as(self, request, stored):
        """{label: digest} of what the change page lets a person change, as `stored` (the
        record as read from the database) and the rows of its inlines hold."""
        model = type(stored)
        state = {}
        for field in model._meta.get_fields():
            if (
                not field.editable
                or field.auto_created
                or not (field.concrete or field.many_to_many)
            ):
                continue
            if field.many_to_many:
                value = sorted(getattr(stored, field.name).values_list("pk", flat=True))
            else:
                value = field.value_from_object(stored)
            state[str(capfirst(field.verbose_name))] = as_saved_back(value)
        for formset, inline in self.get_formsets_with_inlines(request, stored):
            names = set(formset.form.base_fields) - {"id", "DELETE", formset.fk.name}
            if not names and not formset.can_delete:
                continue
            columns = [
                field.attname
                for field in inline.model._meta.concrete_fields
                if field.editable and field is not formset.fk
            ]
            rows = inline.model._default_manager.filter(**{formset.fk.name: stored.pk})
            state[str(capfirst(inline.verbose_name_plural))] = [
                tuple(as_saved_back(value) for value in row)
                for row in rows.order_by("pk").values_list("pk", *columns)
            ]
        return {label: _digest(value) for label, value in state.items()}

    def _rows_gone_named(self, request, stored):
        """What the page held in rows whose records were deleted meanwhile, in words."""
        named = []
        for formset, inline in self.get_formsets_with_inlines(request, stored):
            prefix = formset.get_default_prefix()
            initial_count = plain_number(request.POST.get(f"{prefix}-{INITIAL_FORM_COUNT}"))
            if initial_count:
                count = len(rows_gone(request.POST, inline.model, prefix, initial_count))
                if count:
                    name = inline.verbose_name if count == 1 else inline.verbose_name_plural
                    named.append(f"{count} {name}")
        return named

    def _changed_meanwhile_message(self, obj, changed, taken=(), gone=()):
        opts = obj._meta
        history = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]
        )
        kept = ""
        if taken:
            names = ", ".join(str(label) for label in taken)
            kept = format_html(
                " You had left {} as you found {}, so {} their change now.",
                names,
                "them" if len(taken) > 1 else "it",
                "they show" if len(taken) > 1 else "it shows",
            )
        if gone:
            kept += format_html(
                " They deleted {} you had open: what you typed in {} is now a new row at the "
                "end of its list. Remove that row unless you mean to add it again.",
                " and ".join(gone),
                "it" if gone == [gone[0]] and gone[0].startswith("1 ") else "them",
            )
        return format_html(
            "Someone else saved this {} after you opened it. They changed: {}. Nothing you "
            "typed has been saved yet: it is shown below as you left it.{} Check it against "
            '<a href="{}" target="_blank">its history</a>, then save again to keep it.',
            opts.verbose_name,
            ", ".join(str(label) for label in changed),
            kept,
            history,
        )


# The session's note of the last change page saved: which record, what the page sent and
# what the record held after it.
LAST_SAVE = "admin_last_save"


def _sent(request):
    """A digest of what the page sent, all but its CSRF token."""
    return _digest(
        sorted((k, request.POST.getlist(k)) for k in request.POST if k != "csrfmiddlewaretoken")
    )


def _record(obj):
    return f"{obj._meta.label}:{obj.pk}"


def _note_saved(request, obj, state):
    """Notes the save in the session and writes the session now, inside the save's
    transaction: the same page sent again at once waits for the save to commit (the record
    is locked), and must then find the note."""
    request.session[LAST_SAVE] = {
        "record": _record(obj),
        "sent": _sent(request),
        "state": _encoded(state),
    }
    request.session.save()


def _saved_already(request, stored, now):
    """Whether this request sends exactly what the last save of `stored` in this session
    sent, and the record still holds (`now`) what that save left."""
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return False
    # Read afresh: the first of two sends at once may have saved since this one began.
    note = type(session)(session.session_key).load().get(LAST_SAVE)
    return note == {"record": _record(stored), "sent": _sent(request), "state": _encoded(now)}


def _waiting(request):
    """The messages waiting to be shown to this person, left waiting."""
    storage = messages.get_messages(request)
    waiting = [str(message) for message in storage]
    storage.used = False
    return waiting


def _typed_in(fields, data, prefix):
    """[(label, text, lines to show)] of `data`'s non-empty values for those of the form
    `fields` that a person types rather than picks (a list, a tick box, a hidden value)."""
    typed = []
    for name, field in fields.items():
        widget = field.widget
        if (
            isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
            or widget.is_hidden
            or isinstance(widget, forms.Select | forms.CheckboxInput | forms.CheckboxSelectMultiple)
        ):
            continue
        text = data.get(f"{prefix}{name}", "")
        if has_words(text):
            label = str(capfirst(field.label or name.replace("_", " ")))
            # A box as tall as what it holds (a one-line box's words, one line).
            lines = min(text.count("\n") + 1 + len(text) // 60, 12)
            typed.append((label, text, lines))
    return typed


def record_of_deletion(model, object_id):
    """(who, when) of the deletion of `model`'s record `object_id` as its history or the
    admin's log has it, who None if no one signed in did it; None if neither has it."""
    history = getattr(model, "history", None)
    if history is not None and plain_number(object_id) is not None:
        deleted = (
            history.filter(**{model._meta.pk.attname: object_id}, history_type="-")
            .select_related("history_user")
            .order_by("-history_date")
            .first()
        )
        if deleted is not None:
            return deleted.history_user, deleted.history_date
    logged = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(object_id),
            action_flag=DELETION,
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    return (logged.user, logged.action_time) if logged is not None else None


def _stored_form(field, value):
    """A form's cleaned `value` for model `field` as _stored_as reads the field: ids for
    related rows, sorted for many."""
    if field.many_to_many:
        return sorted(row.pk for row in value or ())
    if isinstance(value, models.Model):
        return value.pk
    return value


def _as_stored(obj):
    """Whether `obj` holds what its row in the database holds, line breaks aside."""
    fields = obj._meta.concrete_fields
    stored = (
        type(obj)._base_manager.filter(pk=obj.pk).values_list(*(f.attname for f in fields)).first()
    )
    return stored is not None and all(
        as_saved_back(getattr(obj, field.attname)) == as_saved_back(value)
        for field, value in zip(fields, stored, strict=True)
    )


def _digest(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]


def _encoded(state):
    # Labels are hashed too: they may hold any character, the page's field only these.
    return ";".join(f"{_digest(label)}={digest}" for label, digest in state.items())


def _decoded(seen):
    """{label's digest: digest} as the page was made."""
    return dict(part.partition("=")[::2] for part in seen.split(";"))


def _typed_text(inline):
    if issubclass(inline, TypedTextAdmin):
        return inline
    return type(inline.__name__, (TypedTextAdmin, inline), {"__module__": inline.__module__})


def _has_integer_key(model_admin):
    return model_admin.model._meta.pk.get_internal_type() in INTEGER_KEYS


# The views of the pages where an administrator types a record.
FORM_PAGES = ("add_view", "change_view")


class CouncilAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        mixins = (CheckedInputsAdmin, KeptWhenSignedOutAdmin, ChangedMeanwhileAdmin, SearchAdmin)
        if issubclass(base, SimpleHistoryAdmin):
            mixins += (RevertKeepsReadOnlyFields, HistoryLineBreaksAside)
        inlines = [_typed_text(inline) for inline in base.inlines]
        checked = type(
            base.__name__,
            (*mixins, base),
            {"__module__": base.__module__, "inlines": inlines},
        )
        return super().register(model_or_iterable, checked, **options)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)

        @wraps(view)
        def checked(request, *args, **kwargs):
            object_id = kwargs.get("object_id")
            if (
                object_id is not None
                and isinstance(model_admin, admin.ModelAdmin)
                and _has_integer_key(model_admin)
                and plain_number(object_id) is None
            ):
                # "/admin/actions/action/37.0/history/": no such record.
                raise Http404("No record has that number.")
            if (
                request.method == "POST"
                and isinstance(model_admin, admin.ModelAdmin)
                and _has_integer_key(model_admin)
                and any(
                    plain_number(value) is None
                    for value in request.POST.getlist(ACTION_CHECKBOX_NAME)
                )
            ):
                raise BadRequest("A chosen row is not a record number.")
            if any(data.get(TO_FIELD_VAR) == "" for data in (request.GET, request.POST)):
                # Django refuses a field it doesn't allow here (400); an empty one too.
                raise BadRequest("An empty _to_field.")
            if any(
                (_DATE_PART.search(name) and not _SHORT_NUMBER.fullmatch(value))
                or (name != SEARCH_VAR and _LONG_NUMBER.fullmatch(value.strip()))
                for name, value in request.GET.items()
            ):
                # As the admin answers any other lookup it can't use: "?e=1" (a number no
                # database integer holds would overflow in the query).
                return HttpResponseRedirect(f"{request.path}?e=1")
            return view(request, *args, **kwargs)

        checked_view = super().admin_view(checked, cacheable)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ in FORM_PAGES:
            # Saved after the session ended: kept, not lost (KeptWhenSignedOutAdmin).
            return keeping_what_was_sent(checked_view)
        return checked_view
