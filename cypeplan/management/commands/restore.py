"""Put a copy written by `manage.py backup` back, in place of everything in the database."""

import os
import re
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from .backup import postgres_arguments, run, sqlite_uri

# The plan and its actions: every copy has their migrations. The other apps came later,
# and `migrate` adds their tables to a copy taken before them.
CORE_APPS = ("themes", "actions")


def listed(names, most=5):
    names = sorted(names)
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def sqlite_copy_refusal(copy):
    """Why the SQLite database `copy` is not a copy of this app's database (copy_refusal)."""
    tables = {
        name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    recorded = (
        set(copy.execute("SELECT app, name FROM django_migrations"))
        if "django_migrations" in tables
        else set()
    )
    return copy_refusal(tables, recorded)


# A table in pg_restore --list: "215; 1259 16386 TABLE public django_migrations postgres"
# (not its rows, "TABLE DATA public django_migrations").
_LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) ", re.MULTILINE)


def postgres_copy_refusal(source, environment):
    """Why the pg_dump file `source` is not a copy of this app's database (copy_refusal),
    read with pg_restore without touching the database: its list of contents, and the rows
    of its django_migrations table as the COPY it would run."""
    tables = set(_LISTED_TABLE.findall(read(["pg_restore", "--list", str(source)], environment)))
    recorded = set()
    if "django_migrations" in tables:
        rows = read(
            ["pg_restore", "--data-only", "--table=django_migrations", "--file=-", str(source)],
            environment,
        )
        copying = False
        for line in rows.splitlines():
            if line.startswith("COPY ") and "django_migrations" in line:
                columns = line[line.index("(") + 1 : line.index(")")].split(", ")
                app, name = columns.index("app"), columns.index("name")
                copying = True
            elif copying and line == "\\.":
                copying = False
            elif copying:
                values = line.split("\t")
                recorded.add((values[app], values[name]))
    return copy_refusal(tables, recorded)


def copy_refusal(tables, recorded):
    """Why a copy with these `tables` and `recorded` migrations ((app, name) pairs) is not a
    copy of this app's database, in words; empty when it is: it records Django's
    migrations, each one a migration this code has, those of CORE_APPS among them, and it
    has every table they make."""
    if not tables:
        return "it has no tables at all"
    if "django_migrations" not in tables:
        return (
            "it has no django_migrations table, so this app did not make it "
            f"(its tables: {listed(tables)})"
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = recorded - set(loader.disk_migrations)
    if unknown:
        return (
            "it records migrations this code doesn't have (another application's, or a newer "
            "version's): " + listed(f"{app}.{name}" for app, name in unknown)
        )
    apps_missing = [app for app in CORE_APPS if not any(app == label for label, _ in recorded)]
    if apps_missing:
        return f"it records no migrations of {' or '.join(apps_missing)}"
    state = loader.graph.make_state(
        nodes=[node for node in recorded if node in loader.graph.nodes],
        real_apps=loader.unmigrated_apps,
    )
    expected = {
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in loader.unmigrated_apps
    }
    if expected - tables:
        return "it lacks tables its migrations make: " + listed(expected - tables)
    return ""


def read(command, environment):
    """What `command` prints; a CommandError saying it could not be read if it fails."""
    result = subprocess.run(
        command, env={**os.environ, **environment}, capture_output=True, text=True
    )
    if result.returncode:
        raise CommandError(
            f"{command[-1]} could not be read, so nothing was changed. {command[0]} said: "
            f"{result.stderr.strip()}"
        )
    return result.stdout


class Command(BaseCommand):
    help = (
        "Replace the whole database with a copy written by `manage.py backup` (a .sqlite3 "
        "file for SQLite, a .dump file for PostgreSQL). Everything entered since the copy "
        "was taken is lost, so it asks for --replace. Stop the app first."
    )

    def add_arguments(self, parser):
        parser.add_argument("copy", help="The file `manage.py backup` wrote.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Yes: replace everything in the database with the copy.",
        )

    def handle(self, *args, copy, replace, **options):
        source = Path(copy)
        if not source.is_file():
            raise CommandError(f"There is no file {source}.")
        if not replace:
            raise CommandError(
                "Restoring replaces everything in the database with the copy, losing "
                "whatever was entered since it was taken. Run again with --replace."
            )
        if connection.vendor == "sqlite":
            self.restore_sqlite(source)
        elif connection.vendor == "postgresql":
            arguments, environment = postgres_arguments(connection.settings_dict)
            refusal = postgres_copy_refusal(source, environment)
            if refusal:
                raise CommandError(
                    f"{source} is not a copy of this database: {refusal}. Nothing was changed."
                )
            connection.close()
            # One transaction: either the whole copy is back, or nothing changed.
            try:
                run(
                    [
                        "pg_restore",
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                        *arguments,
                        str(source),
                    ],
                    environment,
                )
            except CommandError as error:
                raise CommandError(
                    f"{source} could not be restored, so nothing was changed. {error}"
                ) from error
        else:
            raise CommandError(f"No restore for a {connection.vendor} database.")
        self.stdout.write(f"Restored {source}.")

    def restore_sqlite(self, source):
        copy = sqlite3.connect(sqlite_uri(source, "ro"), uri=True)
        try:
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise CommandError(f"{source} is damaged ({verdict}): nothing was changed.")
            refusal = sqlite_copy_refusal(copy)
            if refusal:
                raise CommandError(
                    f"{source} is not a copy of this database: {refusal}. Nothing was changed."
                )
            connection.ensure_connection()
            # The backup API copies page by page under a lock: all of it, or nothing.
            copy.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{source} is not a copy of this database: {error}") from error
        finally:
            copy.close()
