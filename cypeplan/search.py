"""Search that finds names and words as people type them, on SQLite and PostgreSQL alike:
`field__matches=word` (contains) and `field__matches_exactly=word` compare both sides as
cypeplan.inputs.searchable writes them, whatever their case, accents or apostrophes.

The database works out the column's side with the function cypeplan_searchable: on SQLite
it is searchable itself, registered on each new connection; on PostgreSQL it is the same
rule in SQL, made by the migrations cypeplan 0001 to 0003 (no extension, no superuser). Both
scan what icontains scanned: no column to keep filled, nothing to migrate for existing rows."""

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .inputs import searchable

FUNCTION = "cypeplan_searchable"


def _searchable_or_none(value):
    return None if value is None else searchable(str(value))


def add_function_to_sqlite(sender, connection, **kwargs):
    """connection_created: SQLite's own lower() and LIKE fold only A to Z."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, _searchable_or_none, deterministic=True)


def _on_sqlite(sql, params, ascii_text):
    """searchable in SQLite's SQL: calling Python costs SQLite microseconds a row, so text
    all in ASCII (a string as many bytes long as it is characters; most of a plan) is
    `ascii_text` of it, written in SQL, and only the rest goes to Python."""
    return (
        f"CASE WHEN length(CAST({sql} AS BLOB)) = length({sql}) THEN {ascii_text % sql} "
        f"ELSE {FUNCTION}({sql}) END",
        [*params, *params, *params, *params],
    )


class Searchable(models.Func):
    function = FUNCTION
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # searchable's own answer for ASCII is lower().
        return _on_sqlite(*compiler.compile(self.source_expressions[0]), "lower(%s)")


class _SearchLookup(models.Lookup):
    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise TypeError(f"{self.lookup_name} compares with words typed, not a column.")
        return searchable(str(self.rhs))

    def column(self, compiler, connection):
        return compiler.compile(Searchable(self.lhs))

    def column_for_like(self, compiler, connection):
        if connection.vendor == "sqlite":
            # SQLite's LIKE ignores the case of A to Z itself: ASCII text as it is.
            return _on_sqlite(*compiler.compile(self.lhs), "%s")
        return self.column(compiler, connection)


@models.CharField.register_lookup
@models.TextField.register_lookup
class Matches(_SearchLookup):
    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        sql, params = self.column_for_like(compiler, connection)
        # The words typed are as searchable writes them: LIKE finds the same on either.
        pattern = f"%{connection.ops.prep_for_like_query(self.rhs)}%"
        return f"{sql} LIKE %s ESCAPE '\\'", [*params, pattern]


@models.CharField.register_lookup
@models.TextField.register_lookup
class MatchesExactly(_SearchLookup):
    lookup_name = "matches_exactly"

    def as_sql(self, compiler, connection):
        sql, params = self.column(compiler, connection)
        return f"{sql} = %s", [*params, self.rhs]


def _as_search_finds_it(model, name):
    """An admin search field as `matches` (or `matches_exactly` for "=name") when it is
    text; anything else (a number, a field with its own lookup) as the admin has it."""
    exact = name.startswith("=")
    path = name.removeprefix("=")
    if path.startswith(("^", "@")):
        return name
    try:
        field = get_fields_from_path(model, path)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return name
    if not isinstance(field, models.CharField | models.TextField):
        return name
    return f"{path}__{'matches_exactly' if exact else 'matches'}"


class SearchAdmin:
    """Every admin search box, and the autocompletes (lead pickers) built on it, finds text
    whatever its case, accents or apostrophes, as the register does."""

    def get_search_fields(self, request):
        return [
            _as_search_finds_it(self.model, str(name))
            for name in super().get_search_fields(request)
        ]
