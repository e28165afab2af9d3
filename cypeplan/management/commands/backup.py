"""A consistent copy of the whole database, named for when it was taken."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def postgres_arguments(settings_dict):
    """pg_dump's and pg_restore's connection options, and the password for libpq."""
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    environment = {"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict.get("PASSWORD") else {}
    return arguments + ["--dbname", settings_dict["NAME"]], environment


def sqlite_uri(path, mode):
    """The SQLite URI of the file at `path`, opened in `mode` (ro, rwc). Quoted, so that a
    # or ? in the name stays part of it: unquoted, SQLite reads the rest as the URI's
    fragment or query and opens another file. A plain name is no safer (SQLite may read one
    starting file: as a URI), so the backup opens its file by URI too."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def run(command, environment):
    result = subprocess.run(
        command, env={**os.environ, **environment}, capture_output=True, text=True
    )
    if result.returncode:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to BACKUP_DIR (./backups), named "
        "cypeplan-<date>-<time>: SQLite's online backup (people may go on working), or "
        "pg_dump's custom format for PostgreSQL. Prints the file's path."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="Write it here instead of BACKUP_DIR.")

    def handle(self, *args, **options):
        directory = Path(options["dir"] or settings.BACKUP_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
        if connection.vendor == "sqlite":
            target = directory / f"cypeplan-{stamp}.sqlite3"
            self.refuse_to_overwrite(target)
            connection.ensure_connection()
            copy = sqlite3.connect(sqlite_uri(target, "rwc"), uri=True)
            try:
                # One consistent snapshot, even while others write (the online backup API).
                connection.connection.backup(copy)
            finally:
                copy.close()
        elif connection.vendor == "postgresql":
            target = directory / f"cypeplan-{stamp}.dump"
            self.refuse_to_overwrite(target)
            arguments, environment = postgres_arguments(connection.settings_dict)
            # pg_dump reads one snapshot: consistent while people go on working.
            run(["pg_dump", "--format=custom", "--file", str(target), *arguments], environment)
        else:
            raise CommandError(f"No backup for a {connection.vendor} database.")
        self.stdout.write(str(target))

    def refuse_to_overwrite(self, target):
        if target.exists():
            raise CommandError(f"{target} already exists: wait a second and run it again.")
