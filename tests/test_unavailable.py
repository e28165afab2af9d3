"""A database that can't be written: a 503 page that says so, and reads still served."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions import roles
from actions.models import ProgressUpdate
from tests.browser.conftest import ensure_role_groups
from tests.factories import ActionFactory, LeadFactory, UserFactory


@contextmanager
def read_only_database():
    """The database refuses every write, as SQLite does on a read-only disk (query_only
    gives the same "attempt to write a readonly database") and PostgreSQL on a read-only
    replica."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET default_transaction_read_only = off")


@pytest.fixture
def officer_and_action(transactional_db):
    ensure_role_groups()
    officer = UserFactory(username="kerry")
    officer.groups.add(Group.objects.get(name=roles.OFFICERS))
    action = ActionFactory(lead=LeadFactory(user=officer))
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client, action


def test_pages_that_only_read_are_served_when_the_database_cannot_be_written(
    officer_and_action,
):
    client, action = officer_and_action

    with read_only_database():
        dashboard = client.get(reverse("actions:dashboard"))
        detail = client.get(reverse("actions:detail", args=[action.pk]))

    assert dashboard.status_code == 200
    assert detail.status_code == 200


def test_a_write_to_a_database_that_cannot_be_written_gets_a_page_saying_so(officer_and_action):
    client, action = officer_and_action
    form = {
        "reported_on_day": "1",
        "reported_on_month": "6",
        "reported_on_year": "2022",
        "status": "in_progress",
        "rag": "green",
        "key": "4a0f0e76-3c7f-4c36-9a57-0d8e1b43c1aa",
    }

    with read_only_database():
        response = client.post(reverse("actions:record_update", args=[action.pk]), form)

    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "cannot save changes just now" in page
    assert "If you were recording an update" in page
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_request_gets_a_styled_page_saying_how_to_check_an_update(client):
    client.force_login(UserFactory())
    client.raise_request_exception = False

    # A host the app does not serve is one of Django's bad requests.
    response = client.get(reverse("actions:dashboard"), HTTP_HOST="not-ours.example")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Sorry, we could not accept that" in page
    assert "open the action" in page.lower()
    assert "application.css" in page


def test_a_form_that_fails_its_security_check_gets_a_page_saying_what_to_do(db):
    # Opened before the officer signed in again in another tab: its token is out of date.
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    client.cookies["csrftoken"] = "a" * 32

    response = client.post(
        reverse("actions:record_update", args=[1]), {"csrfmiddlewaretoken": "b" * 32}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form was not sent" in page
    assert "Nothing was saved." in page
    assert "Use your browser’s Back button to return to the form." in page
    assert "It may have been saved" not in page
    assert "application.css" in page
