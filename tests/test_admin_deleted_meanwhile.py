"""A record deleted by a colleague while someone has its change page open: saving shows who
deleted it and when, and what was typed, to copy; nothing is saved or made again."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from actions.models import Action, SubStep
from tests.factories import ActionFactory, SubStepFactory, ThemeFactory, UserFactory
from tests.html_forms import post_form
from tests.test_admin_changed_meanwhile import administrator
from themes.models import Theme


def deleted_by(browser, name, pk):
    response = browser.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_saving_an_action_a_colleague_deleted_shows_who_when_and_what_was_typed():
    action = ActionFactory(description="Agree the protocol")
    SubStepFactory(action=action, description="Draft it")
    first = administrator("amina")
    second = administrator("brian", first_name="Brian", last_name="Okafor")
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = post_form(first.get(url).content.decode())
    deleted_by(second, "actions_action", action.pk)
    history_rows = Action.history.count()

    response = first.post(
        url,
        {
            **form,
            "description": "Agree the protocol with schools & GPs",
            "sub_steps-0-description": "Draft it\r\nwith the heads",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Brian Okafor deleted this action on" in html
    assert "Nothing you typed has been saved, and it has not been made again." in html
    assert "Agree the protocol with schools &amp; GPs</textarea>" in html
    assert 'for="typed-' in html
    assert "Sub step 1: Description" in html
    assert "Draft it\r\nwith the heads</textarea>" in html
    # Not made again, and its history only gains nothing.
    assert not Action.objects.filter(pk=action.pk).exists()
    assert not SubStep.objects.filter(action_id=action.pk).exists()
    assert Action.history.count() == history_rows


@pytest.mark.django_db
def test_saving_a_theme_a_colleague_deleted_keeps_what_was_typed():
    theme = ThemeFactory(name="Safe at home")
    first, second = administrator("amina"), administrator("brian")
    url = reverse("admin:themes_theme_change", args=[theme.pk])
    form = post_form(first.get(url).content.decode())
    deleted_by(second, "themes_theme", theme.pk)

    response = first.post(url, {**form, "description": "Children are safe at home"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "brian deleted this theme on" in html
    assert "Children are safe at home</textarea>" in html
    assert not Theme.objects.filter(pk=theme.pk).exists()


@pytest.mark.django_db
def test_a_record_with_no_record_of_its_deletion_is_said_to_be_gone():
    first = administrator("amina")
    url = reverse("admin:actions_action_change", args=[987654])

    response = first.post(url, {"description": "Words"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "This action (number 987654) no longer exists" in html
    assert "Words</textarea>" in html
    assert not Action.objects.filter(pk=987654).exists()


@pytest.mark.django_db
def test_someone_who_may_only_view_actions_is_not_shown_the_page():
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_action"))
    browser = Client()
    browser.force_login(user)
    url = reverse("admin:actions_action_change", args=[987654])

    response = browser.post(url, {"description": "Words"})

    assert response.status_code == 403
