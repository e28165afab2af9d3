"""The SQL with_state is written in: correlated subqueries for the latest update and the
last confirmed date, fields resolved once (_Settled), and LATERAL joins on PostgreSQL."""

import weakref

from django.db import models
from django.db.models import Case, Expression, F, Func, Subquery, Value, When
from django.db.models.sql import Query
from django.db.models.sql.datastructures import Join

from .known import NEWEST_FIRST


class _LatestKnown(Expression):
    """A column of each action's latest update reported on or before `as_at` (of those that
    revised the due date, with `revising`): known() and NEWEST_FIRST as one correlated SQL
    subquery, for the few actions with_state can't read from their kept newest update.
    Written as SQL, not a Subquery, because Django copies and resolves a Subquery's whole
    query everywhere the field is read (dozens of times per with_state query)."""

    def __init__(self, column, as_at, *, revising=False):
        super().__init__()
        self.column, self.as_at, self.revising = column, as_at, revising

    def __repr__(self):
        return f"{self.__class__.__name__}({self.column!r}, {self.as_at!r})"

    @property
    def output_field(self):
        from ..progress import ProgressUpdate

        return ProgressUpdate._meta.get_field(self.column)

    def as_sql(self, compiler, connection):
        from ..progress import ProgressUpdate

        quote = connection.ops.quote_name
        action = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        revising = " AND u.revised_due_on IS NOT NULL" if self.revising else ""
        # The rule's own order, as SQL.
        newest_first = _order_sql(ProgressUpdate._meta, NEWEST_FIRST, "u", quote)
        sql = (
            f"(SELECT u.{quote(self.column)} FROM {quote(ProgressUpdate._meta.db_table)} u "
            f"WHERE u.action_id = {action}.{quote('id')} AND u.reported_on <= %s{revising} "
            f"ORDER BY {newest_first} LIMIT 1)"
        )
        return sql, (connection.ops.adapt_datefield_value(self.as_at),)


def _order_sql(opts, ordering, alias, quote):
    """An ordering of field names ("-reported_on", "-pk") as SQL over the table `alias`."""
    terms = []
    for name in ordering:
        bare = name.lstrip("-")
        field = opts.pk if bare == "pk" else opts.get_field(bare)
        terms.append(f"{alias}.{quote(field.column)} {'DESC' if name != bare else 'ASC'}")
    return ", ".join(terms)


class _LatestConfirmed(Expression):
    """The date last confirmed for each action itself (not one of its steps) for the words
    its timeframe has now, entered by `known_at` if given: the newest DateConfirmation
    with the timeframe's label, as one correlated SQL subquery.
    Written as SQL, not a Subquery, for the reason _LatestKnown is: every flag that reads
    the due date would otherwise carry, copy and resolve a Query of its own."""

    output_field = models.DateField()

    def __init__(self, known_at=None):
        super().__init__()
        self.known_at = known_at

    def __repr__(self):
        return f"{self.__class__.__name__}({self.known_at!r})"

    def as_sql(self, compiler, connection):
        from ..action import Action
        from ..confirmation import DateConfirmation
        from ..timeframe import Timeframe

        quote = connection.ops.quote_name
        opts = DateConfirmation._meta
        action = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        column = {
            name: quote(opts.get_field(name).column)
            for name in ("action", "sub_step", "entered_at", "confirmed_on", "timeframe_label")
        }
        timeframe = Timeframe._meta
        words = (
            f"(SELECT t.{quote(timeframe.get_field('label').column)} "
            f"FROM {quote(timeframe.db_table)} t WHERE t.{quote(timeframe.pk.column)} = "
            f"{action}.{quote(Action._meta.get_field('timeframe').column)})"
        )
        entered_by, params = "", ()
        if self.known_at is not None:
            entered_by = f" AND c.{column['entered_at']} <= %s"
            params = (connection.ops.adapt_datetimefield_value(self.known_at),)
        sql = (
            f"(SELECT c.{column['confirmed_on']} FROM {quote(opts.db_table)} c "
            f"WHERE c.{column['action']} = {action}.{quote('id')} "
            f"AND c.{column['sub_step']} IS NULL "
            f"AND c.{column['timeframe_label']} = {words}{entered_by} "
            # The newest confirmation first, as the model orders them.
            f"ORDER BY {_order_sql(opts, opts.ordering, 'c', quote)} LIMIT 1)"
        )
        return sql, params


class _Settled(Func):
    """A field or flag of with_state, resolved once. Django resolves the left side of every
    lookup again as it compiles it (Lookup.process_lhs), and each flag holds the fields it
    reads, so the state's expressions were copied and resolved again at every level: 25 ms
    to compile an exception list's query. Resolving a resolved expression that holds no
    Query only copies it, so a settled one gives itself back; and being one object
    wherever the query reads it, it is written as SQL once per compiler."""

    template = "%(expressions)s"
    settled = False

    def resolve_expression(self, *args, **kwargs):
        if self.settled:
            return self
        resolved = super().resolve_expression(*args, **kwargs)
        resolved.settled = not _holds_a_query(resolved)
        return resolved

    def as_sql(self, compiler, connection, **extra):
        # Settled, it is one object wherever the query reads it (a flag holds the very
        # fields it reads), so each compiler writes its SQL once. The compiler is held
        # weakly: a copy made for another query is compiled by that query's compiler.
        if not self.settled:
            return super().as_sql(compiler, connection, **extra)
        written = self.__dict__.get("_written")
        if written is None or written[0]() is not compiler:
            written = (weakref.ref(compiler), *super().as_sql(compiler, connection, **extra))
            self._written = written
        return written[1], list(written[2])

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_written", None)
        return state


def _holds_a_query(expression):
    """Whether a resolved expression holds a Query (a Subquery, Exists, ...) anywhere in it,
    conditions included: re-resolving one gives it new aliases, so it is never settled."""
    if isinstance(expression, Query) or hasattr(expression, "query"):
        return True
    if hasattr(expression, "children"):  # a WhereNode: its lookups' sides
        return any(
            _holds_a_query(side)
            for child in expression.children
            for side in (
                (child,)
                if hasattr(child, "children")
                else (getattr(child, "lhs", None), getattr(child, "rhs", None))
            )
            if side is not None
        )
    if not hasattr(expression, "get_source_expressions"):
        return False
    return any(
        _holds_a_query(source)
        for source in expression.get_source_expressions()
        if source is not None
    )


class _LateralJoin(Join):
    """The join of a searched update (with_state's latest_update or due_revision) written,
    on PostgreSQL, as a LATERAL subquery that reads each action's update where the pick
    finds it: the newest known for that action, by update_latest_as_at (or
    update_revision_as_at), LIMIT 1. As a plain join on the picked key, PostgreSQL's
    planner hashes every update in the database and tests the pick on each, so a past
    date's dashboard grew with all the updates ever entered, in every plan; a LATERAL
    subquery on the picked key still found each update twice (pick, then fetch by key:
    29 ms at 10,000 actions against 16). Other databases get the plain join, which SQLite
    already probes by key. Same rows every way."""

    @classmethod
    def replacing(cls, join):
        return cls(
            join.table_name,
            join.parent_alias,
            join.table_alias,
            join.join_type,
            join.join_field,
            join.nullable,
            filtered_relation=join.filtered_relation,
        )

    @property
    def identity(self):
        # Equal to the plain join it replaces, so a later reference to the same relation
        # (e.g. latest_update_fields) reuses this join rather than adding another.
        return (Join, *super().identity[1:])

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        # The pick (with_state's Subquery, resolved and relabelled with this query) with
        # every column of the update instead of its key: the update itself.
        pick = _subquery_in(self.filtered_relation.resolved_condition)
        if pick is None:
            raise ValueError(f"{self.table_alias} is joined on no picked update.")
        update = pick.copy()
        update.query.clear_select_clause()
        update.query.default_cols = True
        sql, params = compiler.compile(update)
        alias = compiler.quote_name_unless_alias(self.table_alias)
        return f"{self.join_type} LATERAL {sql} {alias} ON TRUE", params


def _subquery_in(condition):
    """The Subquery a FilteredRelation's resolved condition compares the key with."""
    for child in condition.children:
        if isinstance(getattr(child, "rhs", None), Subquery):
            return child.rhs
        if hasattr(child, "children") and (found := _subquery_in(child)) is not None:
            return found
    return None


# The FilteredRelations through which with_state searches for the latest updates.
SEARCHED_UPDATES = ("latest_update", "due_revision")


def _joins_made_lateral(queryset, relation_names):
    """The queryset with the joins of these FilteredRelations as _LateralJoin."""
    alias_map = queryset.query.alias_map
    for alias, join in list(alias_map.items()):
        relation = getattr(join, "filtered_relation", None)
        if type(join) is Join and relation is not None and relation.alias in relation_names:
            alias_map[alias] = _LateralJoin.replacing(join)
    return queryset


def _kept_or_searched(as_at, kept_field, column, *, revising=False):
    """A field of each action's latest update as at `as_at`, read from its kept newest update
    (NewestUpdate's `kept_field`) when that update is reported on or before `as_at`, since
    it is then the latest (it is the newest of all; so is its newest revision); nothing for
    an action with no kept row, which has no update; else searched for (`column`)."""
    return Case(
        When(newest_update__reported_on__lte=as_at, then=F(f"newest_update__{kept_field}")),
        When(newest_update__isnull=True, then=Value(None)),
        default=_LatestKnown(column, as_at, revising=revising),
    )
