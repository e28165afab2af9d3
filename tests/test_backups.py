"""Backups that restore, and a move between SQLite and PostgreSQL with Django's own
dumpdata and loaddata: the same rows, the same history (none added), the same entered_at
to the microsecond. Every model is compared, including those of apps added later."""

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
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
