"""The change page sent twice (a double click on Save, a resend): the second is harmless
and quietly agrees with the first."""

import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection

from actions.models import Action, SubStep
from tests.browser.conftest import ensure_role_groups
from tests.factories import ActionFactory
from tests.test_admin_changed_meanwhile import administrator, opened


def waiting_messages(browser, url):
    return [str(message) for message in get_messages(browser.get(url).wsgi_request)]


@pytest.mark.django_db
def test_the_same_save_sent_twice_is_kept_once_with_one_message():
    action = ActionFactory(description="Agree the protocol")
    browser = administrator()
    url, form = opened(browser, action)
    form["description"] = "Agree it"
    history_rows = action.history.count()

    first = browser.post(url, form)
    second = browser.post(url, form)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert waiting_messages(browser, second.url) == [
        f'The action “<a href="{url}">Agree it</a>” was changed successfully.'
    ]
    assert Action.objects.get(pk=action.pk).description == "Agree it"
    assert action.history.count() == history_rows + 1
    assert LogEntry.objects.filter(object_id=str(action.pk)).count() == 1


@pytest.mark.django_db
def test_a_sub_step_added_and_sent_twice_is_added_once():
    action = ActionFactory()
    browser = administrator()
    url, form = opened(browser, action)
    form.update(
        {
            "sub_steps-TOTAL_FORMS": "1",
            "sub_steps-0-action": str(action.pk),
            "sub_steps-0-position": "1",
            "sub_steps-0-description": "Draft the guidance",
            "sub_steps-0-timeframe_label": "March 2023",
            "_continue": "Save and continue editing",
        }
    )

    first = browser.post(url, form)
    second = browser.post(url, form)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert list(SubStep.objects.filter(action=action).values_list("description", flat=True)) == [
        "Draft the guidance"
    ]


@pytest.mark.django_db
def test_the_old_page_sent_again_with_other_words_is_still_refused():
    # Back to the page as first opened, and typed again differently: not a resend.
    action = ActionFactory(description="Agree the protocol")
    browser = administrator()
    url, form = opened(browser, action)
    browser.post(url, {**form, "description": "Agree it"})

    response = browser.post(url, {**form, "description": "Agree it with schools"})

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Action.objects.get(pk=action.pk).description == "Agree it"


@pytest.mark.django_db
def test_a_resend_after_a_colleagues_save_is_refused_naming_it():
    action = ActionFactory(description="Agree the protocol", expected_outcome="A protocol")
    first, second = administrator("amina"), administrator("brian")
    url, form = opened(first, action)
    first.post(url, {**form, "description": "Agree it"})
    _, colleagues = opened(second, action)
    second.post(url, {**colleagues, "expected_outcome": "A signed protocol"})

    response = first.post(url, {**form, "description": "Agree it"})

    assert response.status_code == 200
    assert "Someone else saved this action after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert (action.description, action.expected_outcome) == ("Agree it", "A signed protocol")


@pytest.mark.django_db(transaction=True)
def test_a_double_click_sending_the_page_twice_at_once_saves_it_once():
    ensure_role_groups()  # an earlier transactional test's flush may have taken them
    action = ActionFactory(description="Agree the protocol")
    browser = administrator()
    url, form = opened(browser, action)
    form["description"] = "Agree it"
    start = threading.Barrier(2)
    statuses = []

    def save():
        start.wait()
        try:
            statuses.append(browser.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302], f"{connection.vendor}: {statuses}"
    assert Action.objects.get(pk=action.pk).description == "Agree it"
    assert LogEntry.objects.filter(object_id=str(action.pk)).count() == 1
