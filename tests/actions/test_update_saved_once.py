"""An officer is never told an update failed when it was saved, and never records it twice."""

import re
from contextlib import contextmanager
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from actions import roles
from actions.models import RAG, ProgressUpdate, Status
from tests.browser.conftest import ensure_role_groups
from tests.factories import ActionFactory, LeadFactory, UserFactory
from tests.html_forms import post_form


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2023, 5, 15), tick=False):
        yield


@pytest.fixture
def officer(db):
    ensure_role_groups()
    user = UserFactory(username="kerry", first_name="Kerry", last_name="Crichlow")
    user.groups.add(Group.objects.get(name=roles.OFFICERS))
    return user


@pytest.fixture
def action(officer):
    return ActionFactory(lead=LeadFactory(user=officer))


def opened_form(client, action):
    """The update form as the officer's browser holds it: its hidden fields, filled in."""
    html = client.get(reverse("actions:record_update", args=[action.pk])).content.decode()
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html))
    assert hidden.get("key"), "the form carries a one-time key"
    return {
        **hidden,
        "reported_on_day": "15",
        "reported_on_month": "5",
        "reported_on_year": "2023",
        "status": Status.IN_PROGRESS,
        "rag": RAG.GREEN,
        "working_well": "The board met on 3 May; minutes agreed.",
    }


def test_the_same_form_sent_twice_records_one_update_and_says_it_was_saved(client, officer, action):
    client.force_login(officer)
    form = opened_form(client, action)
    client.post(reverse("actions:record_update", args=[action.pk]), form)

    again = client.post(reverse("actions:record_update", args=[action.pk]), form, follow=True)

    assert ProgressUpdate.objects.filter(action=action).count() == 1
    page = again.content.decode()
    assert "Your update reporting on 15 May 2023 has been recorded." in page
    assert "the update was already saved, so nothing new was recorded" in page
    assert re.search(r"Entered 15 May 2023 at \d\d:\d\d\.", page)


def test_a_form_changed_after_it_was_recorded_keeps_the_changes_to_send_as_a_new_update(
    client, officer, action
):
    """Recorded, then Back, corrected and sent again: the correction is neither dropped
    under "already saved" nor recorded unseen; it comes back in the form to send."""
    client.force_login(officer)
    form = opened_form(client, action)
    url = reverse("actions:record_update", args=[action.pk])
    client.post(url, {**form, "working_well": "Teh first version"})
    corrected = {
        **form,
        "rag": RAG.AMBER,
        "worried_about": "The venue fell through.",
        "rag_change_reason": "Venue lost.",
        "working_well": "The corrected version",
    }

    again = client.post(url, corrected)
    page = again.content.decode()
    sent = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page))
    client.post(url, {**corrected, **sent})

    assert again.status_code == 200
    assert "You already recorded an update from this form" in page
    assert "has not been recorded" in page and "The corrected version" in page
    assert sent["key"] != form["key"]
    assert list(
        ProgressUpdate.objects.filter(action=action)
        .order_by("pk")
        .values_list("working_well", "rag")
    ) == [("Teh first version", RAG.GREEN), ("The corrected version", RAG.AMBER)]


def test_two_forms_opened_separately_record_two_updates(client, officer, action):
    client.force_login(officer)
    first, second = opened_form(client, action), opened_form(client, action)
    second["working_well"] = "The board met again on 12 May."

    for form in (first, second):
        client.post(reverse("actions:record_update", args=[action.pk]), form)

    assert first["key"] != second["key"]
    assert ProgressUpdate.objects.filter(action=action).count() == 2


def test_back_then_send_again_is_refused_naming_the_update_with_the_box_offered(
    client, officer, action
):
    # Back re-opens the form (pages are never cached), under a new key, and the browser
    # puts back what was typed: the same update sent again is not recorded twice.
    client.force_login(officer)
    url = reverse("actions:record_update", args=[action.pk])
    client.post(url, opened_form(client, action))

    refused = client.post(url, opened_form(client, action))

    assert ProgressUpdate.objects.filter(action=action).count() == 1
    page = refused.content.decode()
    assert refused.status_code == 200
    assert (
        "You already recorded this update, at 01:00 on 15 May 2023 (reporting on 15 May "
        "2023: In progress, Green). Nothing new has been saved. If there really are two the "
        "same, tick “Record it again anyway” below and select “Record update”."
    ) in page
    assert '<a href="#id_record_again">You already recorded this update' in page
    box = page[page.index('<div class="govuk-checkboxes') : page.index("Record update</button>")]
    assert re.search(r'<input type="checkbox" name="record_again" [^>]*id="id_record_again"', box)
    assert 'class="govuk-checkboxes__input"' in box
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_record_again">'
        "Record it again anyway</label>"
    ) in box
    assert "Tick this only if there really are two the same." in box


def test_ticking_record_it_again_anyway_records_a_second_identical_update(client, officer, action):
    client.force_login(officer)
    url = reverse("actions:record_update", args=[action.pk])
    client.post(url, opened_form(client, action))
    again = opened_form(client, action)
    refused = client.post(url, again).content.decode()
    sent = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', refused))

    recorded = client.post(url, {**again, **sent, "record_again": "on"})

    assert recorded.status_code == 302
    assert (
        list(ProgressUpdate.objects.filter(action=action).values_list("working_well", "rag"))
        == [("The board met on 3 May; minutes agreed.", RAG.GREEN)] * 2
    )


def test_a_tick_sent_with_an_error_is_not_carried_to_a_later_repeat(client, officer, action):
    """Ticked, then refused for another reason (31 June, so whether it repeats isn't known
    and the box goes): the tick is not kept in the page, and the repeat sent once the date
    is fixed is refused again, asking once more."""
    client.force_login(officer)
    url = reverse("actions:record_update", args=[action.pk])
    client.post(url, opened_form(client, action))
    refused = client.post(url, opened_form(client, action)).content.decode()
    ticked = {**post_form(refused), "record_again": "on", "reported_on_month": "6"}
    ticked["reported_on_day"] = "31"
    in_error = client.post(url, ticked)
    assert in_error.status_code == 200

    fixed = {**post_form(in_error.content.decode()), "reported_on_day": "15"}
    fixed["reported_on_month"] = "5"
    again = client.post(url, fixed)

    assert again.status_code == 200
    assert "Nothing new has been saved." in again.content.decode()
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_an_update_saying_something_else_is_recorded_without_the_box(client, officer, action):
    client.force_login(officer)
    url = reverse("actions:record_update", args=[action.pk])
    client.post(url, opened_form(client, action))

    other = client.post(url, {**opened_form(client, action), "evidence": "Minutes, 3 May."})

    assert other.status_code == 302
    assert ProgressUpdate.objects.filter(action=action).count() == 2


def test_a_fresh_form_has_no_record_it_again_box(client, officer, action):
    client.force_login(officer)
    url = reverse("actions:record_update", args=[action.pk])
    client.post(url, opened_form(client, action))

    page = client.get(url).content.decode()

    assert 'name="record_again"' not in page
    assert "Record it again anyway" not in page


def test_the_same_words_from_another_person_or_for_another_day_are_recorded(
    client, officer, action
):
    delegate = UserFactory(username="sam")
    delegate.groups.add(Group.objects.get(name=roles.OFFICERS))
    action.lead.delegates.add(delegate)
    url = reverse("actions:record_update", args=[action.pk])
    client.force_login(officer)
    client.post(url, opened_form(client, action))
    client.post(url, {**opened_form(client, action), "reported_on_day": "14"})
    client.force_login(delegate)

    client.post(url, opened_form(client, action))

    assert ProgressUpdate.objects.filter(action=action).count() == 3


def test_a_key_belonging_to_another_actions_update_is_not_taken_as_saved(client, officer, action):
    client.force_login(officer)
    other = ActionFactory(lead=action.lead)
    form = opened_form(client, other)
    client.post(reverse("actions:record_update", args=[other.pk]), form)

    client.post(reverse("actions:record_update", args=[action.pk]), form)

    assert ProgressUpdate.objects.filter(action=action).count() == 1
    assert ProgressUpdate.objects.filter(action=other).count() == 1


@contextmanager
def database_fails_after_the_update_commits():
    """Every query after the update's transaction commits fails, as in an outage that
    starts at that moment (the check for others' updates, the session save...)."""
    state = {"saved": False, "failing": False}

    def arm():
        state["failing"] = True

    def wrapper(execute, sql, params, many, context):
        if state["failing"]:
            raise OperationalError("server closed the connection unexpectedly")
        result = execute(sql, params, many, context)
        if (
            sql.lstrip().upper().startswith('INSERT INTO "ACTIONS_PROGRESSUPDATE"')
            and not state["saved"]
        ):
            state["saved"] = True
            transaction.on_commit(arm)
        return result

    with connection.execute_wrapper(wrapper):
        yield state


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_commit_still_shows_the_officer_their_saved_update(officer, action):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    form = opened_form(client, action)

    with database_fails_after_the_update_commits() as outage:
        response = client.post(reverse("actions:record_update", args=[action.pk]), form)
    assert outage["failing"], "the outage began after the commit"

    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    assert f"recorded={update.key}" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Your update reporting on 15 May 2023 has been recorded." in page
    assert "The board met on 3 May; minutes agreed." in page


@pytest.mark.django_db
def test_the_recorded_banner_is_only_for_the_person_who_entered_it(client, officer, action):
    client.force_login(officer)
    client.post(reverse("actions:record_update", args=[action.pk]), opened_form(client, action))
    address = f"{reverse('actions:detail', args=[action.pk])}?recorded="
    key = ProgressUpdate.objects.get().key
    councillor = UserFactory(username="councillor")
    councillor.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    client.force_login(councillor)

    page = client.get(f"{address}{key}").content.decode()

    assert "has been recorded" not in page
    assert client.get(f"{address}not-a-key").status_code == 200
