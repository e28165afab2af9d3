"""Backups that restore, and a move between SQLite and PostgreSQL with Django's own
dumpdata and loaddata: the same rows, the same history (none added), the same entered_at
to the microsecond. Every model is compared, including those of apps added later."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from actions.models import Action, Division, Lead, ProgressUpdate
from tests.browser.conftest import ensure_role_groups
from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory
from tests.fingerprint import fingerprint

PROJECT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("MOVE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
DUMP = ["--natural-foreign", "--natural-primary", "-e", "contenttypes", "-e", "auth.permission"]


@pytest.fixture
def council_data(transactional_db):
    """The real plans and the scrutiny papers as make run loads them, and what people add:
    updates entered at odd microseconds, delegates, a division's director (the Division
    and Lead rows point at each other), edits with their history, a deleted action."""
    ensure_role_groups()
    call_command("load_plans", verbosity=0)
    officer = UserFactory(username="kerry")
    lead = Lead.objects.order_by("pk").first()
    lead.delegates.add(officer)
    division = Division.objects.order_by("pk").first() or Division.objects.create(name="Education")
    division.director = lead
    division.save()
    lead.job_title = "Director of Education (acting)"
    lead.save()
    action = Action.objects.order_by("pk").first()
    for n, reported in enumerate([date(2022, 6, 30), date(2022, 9, 30), date(2022, 9, 30)]):
        update = ProgressUpdateFactory(action=action, reported_on=reported, entered_by=officer)
        ProgressUpdate.objects.filter(pk=update.pk).update(
            entered_at=datetime(2022, 10, 3, 9, 15, 42, 123456 + n, tzinfo=UTC)
        )
    ActionFactory(theme=action.theme, position=999).delete()
    return fingerprint()


def test_a_backup_restores_exactly_what_was_there(council_data, tmp_path):
    path = tmp_path / "copies"
    call_command("backup", dir=str(path), stdout=(out := open(os.devnull, "w")))  # noqa: SIM115
    out.close()
    (copy,) = path.iterdir()
    assert copy.name.startswith("cypeplan-")
    # Work carries on after the copy was taken...
    ProgressUpdateFactory(action=Action.objects.order_by("pk").last())
    Lead.objects.update(job_title="Changed after the backup")
    assert fingerprint() != council_data

    call_command("restore", str(copy), replace=True, verbosity=0)

    assert fingerprint() == council_data


def test_a_restore_asks_before_replacing_everything(council_data, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(PROJECT / "README.md"))


@pytest.fixture
def some_work(transactional_db):
    """The role groups, and a little of what people enter: an action and an officer's update."""
    ensure_role_groups()
    ProgressUpdateFactory(action=ActionFactory(), entered_by=UserFactory(username="kerry"))
    return fingerprint()


def sqlite_file(path, *statements):
    """A SQLite database at `path` made by `statements` (none: an empty file)."""
    path.write_bytes(b"")
    if statements:
        made = sqlite3.connect(path)
        for statement in statements:
            made.execute(statement)
        made.commit()
        made.close()
    return path


MIGRATIONS_TABLE = "CREATE TABLE django_migrations (app TEXT, name TEXT, applied TEXT)"


@pytest.mark.parametrize(
    "statements, why",
    [
        ((), "it has no tables at all"),
        (
            ("CREATE TABLE notes (body TEXT)",),
            "it has no django_migrations table, so this app did not make it (its tables: notes)",
        ),
        (
            (
                MIGRATIONS_TABLE,
                "INSERT INTO django_migrations VALUES ('blog', '0001_initial', '2024-01-01')",
            ),
            "it records migrations this code doesn't have (another application's, or a newer "
            "version's): blog.0001_initial",
        ),
    ],
    ids=["empty file", "another application's tables", "another application's migrations"],
)
def test_a_restore_of_a_file_that_is_no_copy_of_this_database_changes_nothing(
    some_work, tmp_path, statements, why
):
    wrong = sqlite_file(tmp_path / "wrong.sqlite3", *statements)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(wrong), replace=True, verbosity=0)

    message = str(refused.value)
    assert str(wrong) in message
    assert "nothing was changed" in message.lower()
    if connection.vendor == "sqlite":
        assert message == f"{wrong} is not a copy of this database: {why}. Nothing was changed."
    assert fingerprint() == some_work


def backup_into(directory):
    call_command("backup", dir=str(directory), stdout=(out := open(os.devnull, "w")))  # noqa: SIM115
    out.close()
    (copy,) = directory.iterdir()
    return copy


def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("A SQLite copy's tables and migrations; pg_restore reads a .dump file.")


def test_a_restore_of_a_copy_missing_a_table_its_migrations_make_changes_nothing(
    some_work, tmp_path
):
    sqlite_only()
    copy = backup_into(tmp_path / "copies")
    damaged = sqlite3.connect(copy)
    damaged.execute("DROP TABLE actions_progressupdate")
    damaged.commit()
    damaged.close()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(copy), replace=True, verbosity=0)

    assert str(refused.value) == (
        f"{copy} is not a copy of this database: it lacks tables its migrations make: "
        "actions_progressupdate. Nothing was changed."
    )
    assert fingerprint() == some_work


def test_a_copy_taken_before_a_later_app_restores_and_migrate_adds_that_app(some_work, tmp_path):
    sqlite_only()
    copy = backup_into(tmp_path / "copies")
    older = sqlite3.connect(copy)
    older.execute("DELETE FROM django_migrations WHERE app = 'reports'")
    for (table,) in older.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'reports_%'"
    ).fetchall():
        older.execute(f'DROP TABLE "{table}"')
    older.commit()
    older.close()

    call_command("restore", str(copy), replace=True, verbosity=0)
    call_command("migrate", verbosity=0)

    assert fingerprint() == some_work


# SQLite opens a copy by URI, where # starts a fragment and ? a query.
AWKWARD_NAME = "copy #2 ?.sqlite3"


def test_a_copy_whose_name_has_a_hash_a_question_mark_and_a_space_restores(some_work, tmp_path):
    sqlite_only()
    copy = backup_into(tmp_path / "copies").rename(tmp_path / AWKWARD_NAME)
    ProgressUpdateFactory(action=Action.objects.get())
    assert fingerprint() != some_work

    call_command("restore", str(copy), replace=True, verbosity=0)

    assert fingerprint() == some_work
    assert not (tmp_path / "copy ").exists()  # What SQLite opened when it read # as a fragment.


def test_a_backup_into_a_folder_whose_name_has_a_hash_a_question_mark_and_a_space_is_there(
    some_work, tmp_path, monkeypatch
):
    sqlite_only()
    # A relative folder whose name starts file: is read as a URI when opened by name.
    monkeypatch.chdir(tmp_path)
    folder = Path("file:copies #2 ?")
    out = StringIO()

    call_command("backup", dir=str(folder), stdout=out)

    written = Path(out.getvalue().strip())
    assert written.parent == folder
    assert [path.name for path in tmp_path.iterdir()] == [folder.name]
    ProgressUpdateFactory(action=Action.objects.get())
    call_command("restore", str(written), replace=True, verbosity=0)
    assert fingerprint() == some_work


def empty_database(kind, tmp_path):
    """A new, empty database of that kind: its URL and how to drop it afterwards."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'moved.sqlite3'}", lambda: None
    name = f"cypeplan_move_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"No PostgreSQL to move to at {POSTGRES}: {error}")
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return POSTGRES.rsplit("/", 1)[0] + f"/{name}", drop


def manage(url, *arguments):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_natural_key_dump_loads_into_an_empty_database(council_data, tmp_path, target):
    dump = tmp_path / "cypeplan.json"
    call_command("dumpdata", *DUMP, output=str(dump), verbosity=0)
    url, drop = empty_database(target, tmp_path)
    try:
        manage(url, "manage.py", "migrate", "--no-input", "-v", "0")
        manage(url, "manage.py", "loaddata", str(dump), "-v", "0")
        moved = json.loads(manage(url, "-m", "tests.fingerprint"))
    finally:
        drop()

    source = json.loads(json.dumps(council_data))
    assert set(moved) == set(source)
    differing = {label for label in source if moved[label] != source[label]}
    assert not differing, {label: (source[label], moved[label]) for label in differing}
    # No history added by the load: as many history rows of each kind as in the source.
    history = [label for label in source if ".historical" in label]
    assert history
    assert [moved[label][0] for label in history] == [source[label][0] for label in history]


def test_dumps_keep_entered_at_to_the_microsecond(council_data, tmp_path):
    dump = tmp_path / "updates.json"

    call_command("dumpdata", "actions.progressupdate", *DUMP, output=str(dump), verbosity=0)

    times = {row["fields"]["entered_at"] for row in json.loads(dump.read_text())}
    assert "2022-10-03T09:15:42.123457+00:00" in times
    assert connection.vendor in {"sqlite", "postgresql"}


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("A pg_dump file's contents; SQLite's copies have their own tests.")


def pg_dump_of_this_database(path, *options):
    from cypeplan.management.commands.backup import postgres_arguments

    arguments, environment = postgres_arguments(connection.settings_dict)
    subprocess.run(
        ["pg_dump", "--format=custom", *options, *arguments, "--file", str(path)],
        env={**os.environ, **environment},
        check=True,
    )
    return path


@pytest.mark.parametrize(
    "options, why",
    [
        (
            ["--table=auth_user"],
            "it has no django_migrations table, so this app did not make it (its tables: "
            "auth_user)",
        ),
        (
            ["--exclude-table=actions_progressupdate"],
            "it lacks tables its migrations make: actions_progressupdate",
        ),
    ],
    ids=["another database's tables", "a copy missing a table"],
)
def test_a_postgres_restore_of_a_dump_that_is_no_copy_of_this_database_changes_nothing(
    some_work, tmp_path, options, why
):
    postgres_only()
    wrong = pg_dump_of_this_database(tmp_path / "wrong.dump", *options)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(wrong), replace=True, verbosity=0)

    assert (
        str(refused.value) == f"{wrong} is not a copy of this database: {why}. Nothing was changed."
    )
    assert fingerprint() == some_work


def test_a_postgres_dump_of_this_database_is_a_copy(some_work, tmp_path):
    postgres_only()
    from cypeplan.management.commands.backup import postgres_arguments
    from cypeplan.management.commands.restore import postgres_copy_refusal

    copy = pg_dump_of_this_database(tmp_path / "copy.dump")

    assert postgres_copy_refusal(copy, postgres_arguments(connection.settings_dict)[1]) == ""
