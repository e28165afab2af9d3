"""Response headers and sessions: HTTPS only in production, nothing private cached,
browser features refused, and sessions that end after a working day idle."""

import json
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

PROJECT = Path(__file__).resolve().parent.parent

# The production settings the README gives, behind one TLS-terminating proxy.
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "plans.example.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://plans.example.gov.uk",
    "BEHIND_PROXY": "1",
    "DATABASE_URL": "",
}


def run_with(environment, *args):
    unwanted = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # (set by Playwright)
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_the_readme_production_settings():
    result = run_with(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SIGN_IN_PAGE_HEADERS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# No collectstatic here: plain static storage (it makes no difference to the headers).
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_HOST="plans.example.gov.uk")
plain = client.get("/sign-in/")
secure = client.get("/sign-in/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": [secure.status_code, dict(secure.headers)],
}))
"""


def production_responses(**overrides):
    result = run_with(
        {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "cypeplan.settings", **overrides},
        "-c",
        SIGN_IN_PAGE_HEADERS,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_sends_plain_http_to_https_and_asks_browsers_to_stay_there():
    responses = production_responses()

    assert responses["plain"] == [301, "https://plans.example.gov.uk/sign-in/"]
    status, headers = responses["secure"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]


def test_https_can_be_turned_off_for_a_server_on_plain_local_http():
    responses = production_responses(HTTPS="0")

    assert responses["plain"][0] == 200
    assert "Strict-Transport-Security" not in responses["secure"][1]


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(client):
    client.force_login(UserFactory())

    response = client.get(reverse("actions:dashboard"))

    assert response.status_code in {200, 403}
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


@pytest.mark.django_db
def test_every_page_refuses_browser_features_it_does_not_use(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_sessions_end_after_a_working_day_idle_and_activity_keeps_them_going(client):
    client.force_login(UserFactory())
    dashboard = reverse("actions:dashboard")
    signed_in_at = datetime(2023, 5, 15, 9, 0, tzinfo=UTC)

    with time_machine.travel(signed_in_at, tick=False):
        client.force_login(UserFactory(username="kerry"))
    with time_machine.travel(signed_in_at + timedelta(hours=4), tick=False):
        assert client.get(dashboard).status_code != 302
    # Seven hours after the last request (eleven after signing in): still signed in.
    with time_machine.travel(signed_in_at + timedelta(hours=11), tick=False):
        assert client.get(dashboard).status_code != 302
    # Eight hours and a minute without a request: signed out.
    with time_machine.travel(signed_in_at + timedelta(hours=19, minutes=1), tick=False):
        response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_idle_time_is_configurable():
    result = run_with(
        {**PRODUCTION, "SESSION_IDLE_HOURS": "2"},
        "-c",
        "import cypeplan.settings as s; print(s.SESSION_COOKIE_AGE)",
    )

    assert result.stdout.strip() == "7200", result.stderr
