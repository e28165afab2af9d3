import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def load_settings(**environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import cypeplan.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_start_with_the_development_key_when_debug_is_on():
    result = load_settings(DEBUG="1", DATABASE_URL="")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_settings_use_postgresql_when_database_url_says_so():
    result = load_settings(
        SECRET_KEY="a-real-production-secret", DATABASE_URL="postgres://u@db.example:5432/plan"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_is_set_up_for_several_writers(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert "busy_timeout" in database["OPTIONS"]["init_command"]
