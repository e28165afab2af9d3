"""The app's own queries, checked against and timed beside the hand-written references."""

from django.core.management.base import CommandError
from django.db import connection

from actions.downloads import download_queryset
from actions.management.benchmark_references import dashboard_reference, download_reference
from actions.models import Action
from actions.models.rules import counts_from_themes


def app_dashboard_queries(plan, as_at):
    """What the dashboard asks the database for: its counts and RAG by theme, in one query."""
    themes = list(Action.objects.filter(theme__plan=plan).rag_by_theme(as_at))
    return counts_from_themes(themes), themes


def app_download_query(plan, as_at):
    """The register download's one query for the plan, read to the end; returns rows."""
    actions = (
        Action.objects.filter(theme__plan=plan)
        .with_state(as_at)
        .order_by("theme__plan__name", "theme__position", "position")
    )
    sql, params = download_queryset(actions).query.sql_with_params()
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            count += len(chunk)
    return count


def check_against_references(plan, as_at):
    """Stop the benchmark if the app's figures differ from the hand-written ones."""
    counts, themes = app_dashboard_queries(plan, as_at)
    totals, by_theme = dashboard_reference(plan, as_at)
    mine = {name: counts[name] for name in totals}
    if mine != totals:
        raise CommandError(f"The dashboard's counts {mine} differ from the reference {totals}.")
    fields = ("red", "amber", "green", "not_rated", "complete", "closed", "total")
    mine = {theme["theme_id"]: tuple(theme[name] for name in fields) for theme in themes}
    if mine != by_theme:
        raise CommandError("The dashboard's RAG by theme differs from the reference.")
    if app_download_query(plan, as_at) != download_reference(plan, as_at):
        raise CommandError("The download's rows differ in number from the reference.")


# The app's queries and the hand-written floor for the same answer.
REFERENCES = [
    ("dashboard SQL", app_dashboard_queries, dashboard_reference),
    ("download SQL", app_download_query, download_reference),
]
