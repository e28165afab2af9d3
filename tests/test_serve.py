"""The production server: /healthz, and `make serve` from a fresh clone with DEBUG off."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
# Static build, collectstatic, migrate and gunicorn's start, on a busy 2-core machine.
SERVE_TIMEOUT = 240


@pytest.mark.django_db
def test_healthz_answers_ok_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_says_unavailable_when_the_database_fails(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise DatabaseError("the database is down")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    """(status, body) of a GET, without following redirects' errors into exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def fresh_clone(tmp_path):
    """A clone of the committed repository, sharing this checkout's installed Python and
    npm packages (installing them is `make install`'s job, which CI runs on a clean
    clone), with a database of its own."""
    clone = tmp_path / "cypeplan"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
        check=True,
        timeout=120,
    )
    if (ROOT / "node_modules").is_dir():
        (clone / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    return clone


def test_make_serve_from_a_fresh_clone_answers_with_debug_off(fresh_clone, tmp_path):
    port = free_port()
    venv = Path(sys.prefix)
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        # Plain HTTP on the loopback: no HTTPS redirect and no secure-only cookies.
        "HTTPS": "0",
        "SECURE_COOKIES": "0",
        "WEB_CONCURRENCY": "2",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # This checkout's virtualenv, taken as installed (-o: don't reinstall it).
    command = [
        "make", "--no-print-directory", "serve", f"VENV={venv}", "-o", f"{venv}/.installed",
        f"ADDRESS=127.0.0.1:{port}",
    ]  # fmt: skip
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        command,
        cwd=fresh_clone,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = fetch(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        log.seek(0)
        assert health == (200, "ok\n"), f"make serve didn't answer /healthz:\n{log.read()}"

        status, sign_in = fetch(f"{base}/sign-in/")
        assert status == 200
        assert "Sign in" in sign_in
        # Static files come from collectstatic's manifest, with hashed names.
        assert "/static/build/application." in sign_in

        status, missing = fetch(f"{base}/no-such-page/")
        assert status == 404
        # DEBUG off: the app's own page, not Django's technical one.
        assert "Using the URLconf defined in" not in missing
        assert "Page not found" in missing
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
