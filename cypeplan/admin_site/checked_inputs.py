"""What an admin page sends, checked where it comes in: typed text kept as the app's forms
keep it, related rows chosen by plain id, and an inline's rows that swap unique values or
whose records were deleted meanwhile."""

import uuid

from django.db import models
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT

from ..forms import WrittenText
from ..history import as_stored
from ..inputs import (
    DayFirstDateField,
    PlainIdChoiceField,
    PlainIdMultipleChoiceField,
    plain_number,
)

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


def _as_stored(obj):
    """Whether `obj` holds what its row in the database holds, line breaks aside."""
    return as_stored(obj, type(obj)._base_manager.filter(pk=obj.pk).first())
