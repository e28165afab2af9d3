"""The audit history: what counts as a change for it (is_change, one rule for every
writer), and the first entry for rows that have none.

loaddata writes no history (cypeplan/management/commands/loaddata.py): a restore must hold
the history that was dumped. But the plans loaded from fixtures/ are the start of the
record, not a restore: with no first entry, the first edit in the admin was the only entry,
and held only the new values, so what the plan said before was recorded nowhere.
"""

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from .inputs import as_saved_back


def is_change(before, after):
    """Whether `after` changes `before`, for every writer (the admin, a plan's import, the
    services) and the History page alike: text whose line breaks alone differ (CR LF, as a
    spreadsheet cell or an older import holds it; LF, as a box on a page sends it) is the
    same text, and reads the same."""
    return as_saved_back(before) != as_saved_back(after)


def change_to(record, values):
    """Set on `record`, as read from the database, each of `values` ({field name: value})
    that changes it (is_change): text whose line breaks alone differ is kept as stored.
    Returns the names of the fields changed; with none, there is nothing to save and no
    change for the record's history."""
    changed = []
    for name, value in values.items():
        field = record._meta.get_field(name)
        wanted = value.pk if isinstance(value, models.Model) else value
        if is_change(getattr(record, field.attname), wanted):
            setattr(record, name, value)
            changed.append(name)
    return changed


def as_stored(record, stored):
    """Whether `record` holds what `stored` (its row as read from the database, None if
    gone) holds, line breaks aside (is_change): saving it would write a "Changed" entry in
    its history for nothing anyone changed, and rewrite its text's line breaks."""
    return stored is not None and not any(
        is_change(getattr(stored, field.attname), getattr(record, field.attname))
        for field in record._meta.concrete_fields
    )


def _tracked_models():
    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        if name:
            yield model, getattr(model, name)


@transaction.atomic
def record_starting_history(reason):
    """Give every row of a tracked model that has no history a first entry ("Created",
    with `reason`), holding its values and its many-to-many rows as they are now. Returns
    {model's verbose name: rows given one}. A few queries per model, none per row."""
    now = timezone.now()
    given = {}
    tables = []
    for model, history in _tracked_models():
        key = model._meta.pk.attname
        missing = list(model._default_manager.exclude(**{f"{key}__in": history.values(key)}))
        if not missing:
            continue
        rows = history.bulk_history_create(missing, default_change_reason=reason, default_date=now)
        if rows is None:  # history switched off (inside loaddata)
            continue
        record_many_to_many(history, {getattr(row, key): row for row in rows})
        given[str(model._meta.verbose_name_plural)] = len(rows)
        tables += [history.model._meta.db_table] + [
            getattr(history.model, field.name).model._meta.db_table
            for field in history.model._history_m2m_fields
        ]
    # The new rows' references checked now, as loaddata checks the rows it loads: on
    # PostgreSQL they would otherwise wait, deferred, to the end of the transaction (and a
    # flush in the same transaction, as in a test, could not truncate their tables).
    if tables:
        connection.check_constraints(table_names=tables)
    return given


def record_many_to_many(history, entries):
    """Keep with each history entry of `entries` ({row's key: its new entry}, written in
    bulk, which simple-history's bulk writers leave without them) the many-to-many rows
    (an action's supporting leads) its row has now, as a save in the admin keeps them:
    what the History page compares. One query to read and one to write per field."""
    for field in history.model._history_m2m_fields:
        m2m_history = getattr(history.model, field.name).model
        through = field.remote_field.through
        names = [each.name for each in through._meta.fields]
        owner = get_m2m_field_name(field)
        m2m_history.objects.bulk_create(
            m2m_history(
                history=entries[getattr(link, f"{owner}_id")],
                **{name: getattr(link, name) for name in names},
            )
            for link in through.objects.filter(**{f"{owner}__in": list(entries)})
        )


def newest_entries(history, keys):
    """{key: its newest history entry} of the rows with these keys (one query)."""
    newest = {}
    for entry in history.filter(id__in=list(keys)).order_by("-history_date", "-history_id"):
        newest.setdefault(entry.id, entry)
    return newest


class HistoryOfChanges(HistoricalRecords):
    """simple-history's records, with an index on (history_type, history_date) named
    `changes_index`: what finds the changes and deletions written since a moment (a page as at
    a past date asks on every request) without reading the far more numerous first entries,
    one per row created since."""

    def __init__(self, *args, changes_index, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes_index = changes_index

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = (
            *meta.get("indexes", ()),
            models.Index(fields=["history_type", "history_date"], name=self.changes_index),
        )
        return meta
