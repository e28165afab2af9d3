"""The admin's History page, shared by the apps whose records have many-to-many history."""

from dataclasses import replace
from itertools import pairwise

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import ForeignKey
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

from .history import is_change


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, with a History page whose queries don't grow with its rows:
    simple-history reads a record's many-to-many rows (supporting leads, delegates) twice
    for each record it compares; here each field's rows for the whole page are read in one
    query, with what they name, and compared as simple-history's diff compares them."""

    def _history_m2m(self):
        """(field name, its rows' model, the fields compared, the field ordered by) for each
        many-to-many field the history keeps, as simple-history's own diff has them."""
        history_model = get_history_model_for_model(self.model)
        for field in history_model._history_m2m_fields:
            rows_model = getattr(history_model, field.name).model
            compared = [
                each
                for each in rows_model._meta.fields
                if each.editable and each.name not in ["id", "m2m_history_id", "history"]
            ]
            yield field.name, rows_model, compared, get_m2m_reverse_field_name(field)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        m2m = {}
        for name, rows_model, compared, ordered_by in self._history_m2m():
            rows = {record.pk: [] for record in records}
            for row in (
                rows_model.objects.filter(history__in=list(rows))
                .select_related(*(each.name for each in compared if isinstance(each, ForeignKey)))
                .order_by(ordered_by)
            ):
                rows[row.history_id].append(row)
            m2m[name] = compared, rows
        for new, old in pairwise(records):
            delta = new.diff_against(
                old, excluded_fields=list(m2m), foreign_keys_are_objs=foreign_keys_are_objs
            )
            changes = [*delta.changes]
            for name, (compared, rows) in m2m.items():
                old_rows, new_rows = rows[old.pk], rows[new.pk]
                if m2m_rows(old_rows, compared) != m2m_rows(new_rows, compared):
                    changes.append(
                        ModelChange(
                            name,
                            m2m_rows(old_rows, compared, foreign_keys_are_objs),
                            m2m_rows(new_rows, compared, foreign_keys_are_objs),
                        )
                    )
            changes.sort(key=lambda change: change.field)
            delta = ModelDelta(changes, [change.field for change in changes], old, new)
            helper = self.get_historical_record_context_helper(request, new)
            new.history_delta_changes = helper.context_for_delta_changes(delta)


def m2m_rows(rows, compared, as_objects=False):
    """The rows as simple-history's diff lists them: each a {field name: value}, a foreign
    key's value its id, or with `as_objects` the row it names (DeletedObject if gone)."""
    return [{each.name: m2m_value(row, each, as_objects) for each in compared} for row in rows]


def m2m_value(row, field, as_objects):
    if not isinstance(field, ForeignKey):
        return getattr(row, field.name)
    if not as_objects:
        return getattr(row, field.attname)
    try:
        value = getattr(row, field.name)
    except ObjectDoesNotExist:
        value = None
    return (
        DeletedObject(field.related_model, getattr(row, field.attname)) if value is None else value
    )


class LineBreaksAside(HistoricalRecordContextHelper):
    """A History page entry's changes, leaving out text whose line breaks alone changed:
    text stored with CR LF (an older import) is stored with line feeds when its record is
    next saved for another change, and reads the same."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if is_change(change.old, change.new)]
        return super().context_for_delta_changes(
            replace(delta, changes=changes, changed_fields=[change.field for change in changes])
        )


class HistoryLineBreaksAside:
    """Every History page lists changes as LineBreaksAside does."""

    def get_historical_record_context_helper(self, request, historical_record):
        return LineBreaksAside(self.model, historical_record)
