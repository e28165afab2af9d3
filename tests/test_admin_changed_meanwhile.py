"""Two administrators (or two tabs) with the same record open in the admin: the second to
save is told what the first changed, nothing of theirs is saved over it unseen, and what
they typed is shown again; saving once more keeps it. What nobody can change on the page
(an officer's progress update landing meanwhile) doesn't stop a save."""

import threading
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions import roles
from actions.models import Action
from actions.services import progress_update_record
from tests.browser.conftest import ensure_role_groups
from tests.factories import ActionFactory, SubStepFactory, UserFactory
from tests.html_forms import post_form


def administrator(username="amina", **fields):
    """A browser signed in as a plan administrator."""
    user = UserFactory(username=username, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    browser = Client()
    browser.force_login(user)
    return browser


def opened(browser, action):
    """The action's change form as the page sends it, and its address."""
    url = reverse("admin:actions_action_change", args=[action.pk])
    return url, post_form(browser.get(url).content.decode())


@pytest.mark.django_db
def test_saving_over_a_colleagues_change_is_refused_and_keeps_what_was_typed():
    action = ActionFactory(description="Agree the protocol", expected_outcome="A protocol")
    first, second = administrator("amina"), administrator("brian")
    url, first_form = opened(first, action)
    _, second_form = opened(second, action)

    second.post(url, {**second_form, "description": "Agree the data sharing protocol"})
    response = first.post(url, {**first_form, "expected_outcome": "A signed protocol"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this action after you opened it" in html
    assert "They changed: Action." in html
    assert "A signed protocol" in html  # what was typed, shown again
    action.refresh_from_db()
    assert action.description == "Agree the data sharing protocol"
    assert action.expected_outcome == "A protocol"

    # The box they left as they found it now shows the colleague's change.
    assert "You had left Action as you found it, so it shows their change now." in html

    # Saving the page shown again is a choice made knowing: it is kept, and so is the
    # colleague's change to the box they never touched.
    again = post_form(html)
    assert first.post(url, {**again, "_save": "Save"}).status_code == 302
    action.refresh_from_db()
    assert action.expected_outcome == "A signed protocol"
    assert action.description == "Agree the data sharing protocol"


@pytest.mark.django_db
def test_a_box_both_changed_shows_what_was_typed_and_unchanged_lines_do_not_count():
    # Two lines stored with a line feed; the browser sends every box's breaks as CR LF.
    action = ActionFactory(description="Agree the protocol", expected_outcome="Line one\nLine two")
    first, second = administrator("amina"), administrator("brian")
    url, first_form = opened(first, action)
    _, second_form = opened(second, action)
    first_form["expected_outcome"] = "Line one\r\nLine two"

    second.post(
        url,
        {**second_form, "description": "Agree it with schools", "expected_outcome": "Changed"},
    )
    html = first.post(url, {**first_form, "description": "Agree it with GPs"}).content.decode()

    assert "They changed: Action, Expected outcome or success measure." in html
    # Their own words stay for the box both changed; the box left alone shows the colleague's.
    assert "Agree it with GPs" in html
    assert "You had left Expected outcome or success measure as you found it" in html
    again = post_form(html)
    assert first.post(url, {**again, "_save": "Save"}).status_code == 302
    action.refresh_from_db()
    assert (action.description, action.expected_outcome) == ("Agree it with GPs", "Changed")


@pytest.mark.django_db
def test_a_sub_step_changed_meanwhile_is_named():
    action = ActionFactory()
    SubStepFactory(action=action, description="Draft the guidance")
    first, second = administrator("amina"), administrator("brian")
    url, first_form = opened(first, action)
    _, second_form = opened(second, action)

    second.post(url, {**second_form, "sub_steps-0-description": "Publish the guidance"})
    html = first.post(url, {**first_form, "description": "Renamed"}).content.decode()

    assert "They changed: Sub steps." in html
    assert Action.objects.get(pk=action.pk).description != "Renamed"
    assert action.sub_steps.get().description == "Publish the guidance"


@pytest.mark.django_db
def test_an_update_recorded_meanwhile_does_not_stop_the_save():
    action = ActionFactory(theme__plan__starts_on=date(2022, 4, 1))
    first = administrator("amina")
    url, form = opened(first, action)

    progress_update_record(
        action=action,
        reported_on=date(2022, 10, 1),
        status="in_progress",
        rag="green",
        entered_by=UserFactory(),
    )
    response = first.post(url, {**form, "description": "Renamed"})

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).description == "Renamed"


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_is_kept_and_the_other_told():
    ensure_role_groups()  # an earlier transactional test's flush may have taken them
    action = ActionFactory(description="Agree the protocol")
    browsers = [administrator("amina"), administrator("brian")]
    forms = [opened(browser, action) for browser in browsers]
    start = threading.Barrier(2)
    results = [None, None]

    def save(number):
        url, form = forms[number]
        start.wait()
        try:
            response = browsers[number].post(url, {**form, "description": f"Version {number}"})
            results[number] = response.status_code, response.content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 302], f"{connection.vendor}: {statuses}"
    kept = next(number for number, (status, _) in enumerate(results) if status == 302)
    told = results[1 - kept][1]
    assert "Someone else saved this action after you opened it" in told
    assert Action.objects.get(pk=action.pk).description == f"Version {kept}"


@pytest.mark.django_db
def test_text_stored_with_cr_lf_is_not_named_as_changed_when_a_colleagues_save_keeps_it():
    # Stored before the admin kept line breaks as line feeds: the colleague's save of the
    # page, which sends the box back as it was, stores it with line feeds.
    action = ActionFactory(description="Agree the protocol")
    Action.objects.filter(pk=action.pk).update(expected_outcome="Line one\r\nLine two")
    first, second = administrator("amina"), administrator("brian")
    url, first_form = opened(first, action)
    _, second_form = opened(second, action)

    second.post(url, {**second_form, "description": "Agree it with schools"})
    html = first.post(url, {**first_form, "delivered_through": "The partnership"}).content
    html = html.decode()

    assert "They changed: Action." in html
    assert "Expected outcome" not in html.split("They changed:")[1].split(".")[0]


@pytest.mark.django_db
def test_a_box_stored_with_cr_lf_and_left_as_found_takes_the_colleagues_change():
    action = ActionFactory(description="Agree the protocol")
    Action.objects.filter(pk=action.pk).update(expected_outcome="Line one\r\nLine two")
    first, second = administrator("amina"), administrator("brian")
    url, first_form = opened(first, action)
    _, second_form = opened(second, action)

    second.post(url, {**second_form, "expected_outcome": "Changed"})
    html = first.post(url, {**first_form, "description": "Agree it with GPs"}).content.decode()

    assert "You had left Expected outcome or success measure as you found it" in html
    assert first.post(url, {**post_form(html), "_save": "Save"}).status_code == 302
    action.refresh_from_db()
    assert (action.description, action.expected_outcome) == ("Agree it with GPs", "Changed")


@pytest.mark.django_db
def test_a_sub_step_a_colleague_deleted_keeps_what_was_typed_in_it_as_a_new_row():
    action = ActionFactory(description="Agree the protocol")
    SubStepFactory(action=action, position=1, description="Draft the guidance")
    SubStepFactory(action=action, position=2, description="Publish it")
    first, second = administrator("amina"), administrator("brian")
    url, first_form = opened(first, action)
    _, second_form = opened(second, action)
    second.post(url, {**second_form, "sub_steps-0-DELETE": "on"})

    html = first.post(
        url,
        {
            **first_form,
            "description": "Agree it with schools",
            "sub_steps-0-description": "Draft the guidance with heads",
            "sub_steps-1-description": "Publish it online",
        },
    ).content.decode()

    assert "They deleted 1 sub step you had open" in html
    shown = post_form(html)
    # The step still there keeps its own row and what was typed in it; the deleted one's
    # words come after it as a new row, not under another step.
    assert shown["sub_steps-INITIAL_FORMS"] == "1"
    assert shown["sub_steps-0-description"] == "Publish it online"
    assert shown["sub_steps-1-description"] == "Draft the guidance with heads"
    assert shown["sub_steps-1-id"] == ""
    # Saved again with the new row removed: the rest is kept, the step stays deleted.
    removed = {k: v for k, v in shown.items() if not k.startswith("sub_steps-1-")}
    saved = first.post(url, {**removed, "_save": "Save", "sub_steps-TOTAL_FORMS": "1"})
    assert saved.status_code == 302
    assert Action.objects.get(pk=action.pk).description == "Agree it with schools"
    assert list(action.sub_steps.values_list("description", flat=True)) == ["Publish it online"]
