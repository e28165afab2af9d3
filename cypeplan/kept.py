"""Results kept between requests for as long as the data they were worked out from is
unchanged: a dashboard's counts cost a pass over every action of the plan, and are read
far more often than anything is written.

A result is kept under the version of the data it was worked out from, which the database
itself gives in the same statement as the result (kept_rows), or, for a result of several
statements, with the first and again with the last, kept only if the two agree
(kept_value): it is never kept under a version it wasn't worked out from. The version:
- PostgreSQL: the snapshot the statement reads (pg_current_snapshot). Two statements with
  the same snapshot see the same committed transactions, so the same data, in every
  table; any transaction that writes anything and ends changes it, and reading changes
  nothing. Inside a transaction that has written (its own changes are not in the
  snapshot's words) nothing is kept or read.
- SQLite: a token that triggers on every table set to a new random number whenever a row
  is inserted, changed or deleted, by this app or anything else, in the same transaction
  (install_sqlite_version). Undone with the transaction, the token is undone with the data.

A page reads the version first, with its plans (Scope) or by one query, and looks for its
result under it; only when there is none does it work it out. The results live in
Django's cache (each process its own, by default)."""

import hashlib

from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.models import CharField, Count, Max, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

VERSION_TABLE = "cypeplan_data_version"
# Tables whose rows no kept result reads, written by every sign-in or admin page: sessions,
# sign-in attempts, the admin's log of its own actions.
NOT_WATCHED = ("django_session", "django_migrations", "django_admin_log", VERSION_TABLE)
NOT_WATCHED_PREFIXES = ("sqlite_", "axes_")

# The column a kept query's rows carry the data's version in.
VERSION_COLUMN = "kept_data_version"
# kept_rows's version when the page hasn't read it.
UNREAD = object()
# Nothing kept under a key (None may be kept).
_MISSING = object()

_VERSION_SQL = {
    "postgresql": (
        "CASE WHEN txid_current_if_assigned() IS NULL THEN pg_current_snapshot()::text END"
    ),
    "sqlite": f"(SELECT token FROM {VERSION_TABLE} WHERE id = 1)",
}


def _version_sql():
    return _VERSION_SQL.get(connection.vendor)


def data_version():
    """The version of all the data as it stands, or None where none is kept."""
    sql = _version_sql()
    if sql is None:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {sql}")
            (version,) = cursor.fetchone()
    except OperationalError:
        # SQLite not migrated since kept results came: no triggers, so nothing is kept.
        return None
    return None if version is None else str(version)


def version_expression():
    """The data's version as a column of a query, to read it with rows a page reads anyway
    (a Scope's plans); None where none is kept."""
    sql = _version_sql()
    return RawSQL(sql, [], output_field=CharField()) if sql else Value(None, CharField())


def kept_rows(rows, *key, version=UNREAD, sliced=None):
    """The rows of `rows` (a queryset of dicts or of model instances, or a function giving
    one, called only when they aren't kept: building a query of the rules is work too),
    kept under `key` and the version of the data they were worked out from, as a list.
    `version`: the
    data's version as the page read it (version_expression); unless given, one query reads
    it. `sliced`: (start, stop), the rows to take. The rows' own query, with the version
    beside them, only when they aren't kept; none is kept if none is found."""
    if version is UNREAD:
        version = data_version()
    cache_key = _cache_key(key, version)
    if cache_key is not None:
        found = cache.get(cache_key)
        if found is not None:
            return found
    worked_out, seen = rows_and_version(rows() if callable(rows) else rows, sliced)
    worked_out_key = _cache_key(key, seen)
    if worked_out_key is not None:
        cache.set(worked_out_key, worked_out, timeout=None)
    return worked_out


def rows_and_version(rows, sliced=None):
    """The rows of `rows` (a queryset of dicts or of model instances), `sliced` (start,
    stop) if given, as a list, and the data's version they were read at, in the same
    statement; None for the version where none is kept or no row was found."""
    if _version_sql() is None:
        return list(rows if sliced is None else rows[slice(*sliced)]), None
    rows = rows.annotate(**{VERSION_COLUMN: version_expression()})
    worked_out = list(rows if sliced is None else rows[slice(*sliced)])
    versions = {
        (row if isinstance(row, dict) else row.__dict__).pop(VERSION_COLUMN) for row in worked_out
    }
    seen = versions.pop() if len(versions) == 1 else None
    return worked_out, None if seen is None else str(seen)


def kept_value(key, version, work_out):
    """work_out()'s answer, kept under `key` and `version`, the data's version as the page
    read it (version_expression). work_out() gives its answer and the version its last
    query read (count_and_version): the same, nothing was written while its queries ran,
    so each saw the data as at that version, and the answer is kept."""
    cache_key = _cache_key(key, version)
    if cache_key is not None:
        found = cache.get(cache_key, _MISSING)
        if found is not _MISSING:
            return found
    value, version_after = work_out()
    if cache_key is not None and version_after is not None and str(version_after) == version:
        cache.set(cache_key, value, timeout=None)
    return value


def count_and_version(queryset):
    """queryset.count() and the data's version, in the same statement. For a filter of one
    table and its foreign keys (no DISTINCT, no joined rows to count twice)."""
    sql = _version_sql()
    if sql is None:
        return queryset.count(), None
    version = RawSQL(sql, [], output_field=CharField())
    # The version beside a count: an aggregate of it, or, with no rows, itself.
    found = queryset.aggregate(count=Count("pk"), version=Coalesce(Max(version), version))
    return found["count"], None if found["version"] is None else str(found["version"])


def _cache_key(key, version):
    """The cache's key for `key` at `version` (hashed: a snapshot's words can be long)."""
    if version is None:
        return None
    words = "\x1f".join([str(connection.settings_dict["NAME"]), *map(str, key), version])
    return f"kept:{hashlib.sha256(words.encode()).hexdigest()}"


def install_sqlite_version(using, **kwargs):
    """post_migrate: SQLite's version table, and the triggers that give it a new token on
    every insert, update and delete in every watched table. Sent for every app after each
    migration, so a new table is watched from the start; what is there already is left."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    bump = (
        f"INSERT INTO {VERSION_TABLE} (id, token) VALUES (1, random()) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token;"
    )
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
            "(id integer PRIMARY KEY, token integer NOT NULL)"
        )
        cursor.execute(f"INSERT OR IGNORE INTO {VERSION_TABLE} (id, token) VALUES (1, random())")
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        existing = {name for (name,) in cursor.fetchall()}
        for table in watched_tables(conn):
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"kept_{table}_{event.lower()}"
                if name not in existing:
                    cursor.execute(
                        f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" '
                        f"FOR EACH ROW BEGIN {bump} END"
                    )


def watched_tables(conn):
    """The tables whose every change gives SQLite's data a new version."""
    return [
        table
        for table in conn.introspection.table_names()
        if table not in NOT_WATCHED and not table.startswith(NOT_WATCHED_PREFIXES)
    ]
