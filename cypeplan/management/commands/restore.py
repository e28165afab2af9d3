"""Put a copy written by `manage.py backup` back, in place of everything in the database."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import postgres_arguments, run


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
            connection.close()
            # One transaction: either the whole copy is back, or nothing changed.
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
        else:
            raise CommandError(f"No restore for a {connection.vendor} database.")
        self.stdout.write(f"Restored {source}.")

    def restore_sqlite(self, source):
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise CommandError(f"{source} is damaged ({verdict}): nothing was changed.")
            connection.ensure_connection()
            # The backup API copies page by page under a lock: all of it, or nothing.
            copy.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{source} is not a copy of this database: {error}") from error
        finally:
            copy.close()
