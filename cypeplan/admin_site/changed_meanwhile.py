"""A change page saved after someone else changed or deleted the record is refused, saying
what they did, with nothing typed lost."""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from ..inputs import as_saved_back, has_words, plain_number
from .checked_inputs import NEW_ROWS, rows_gone

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


def _digest(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]


def _encoded(state):
    # Labels are hashed too: they may hold any character, the page's field only these.
    return ";".join(f"{_digest(label)}={digest}" for label, digest in state.items())


def _decoded(seen):
    """{label's digest: digest} as the page was made."""
    return dict(part.partition("=")[::2] for part in seen.split(";"))
