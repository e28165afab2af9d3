"""Where people land and what the navigation marks: officers land on My actions, others on
the dashboard; an officer's own action, after recording an update, sits under My actions;
and error messages read as sentences."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from tests.factories import ActionFactory, LeadFactory, UserFactory

PASSWORD = "navigation-test-password"


def person(group, username, **fields):
    user = UserFactory(username=username, **fields)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def current_section(response):
    """The navigation item marked as where the reader is."""
    return re.findall(
        r'<a class="govuk-service-navigation__link" href="[^"]*" aria-current="[^"]+">\s*'
        r"<strong[^>]*>([^<]+)</strong>",
        response.content.decode(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "lands_on"),
    [
        (roles.OFFICERS, "actions:my_actions"),
        (roles.SCRUTINY_MEMBERS, "actions:dashboard"),
        (roles.PLAN_ADMINISTRATORS, "actions:dashboard"),
    ],
)
def test_people_land_where_their_work_is(client, group, lands_on):
    person(group, "someone", is_staff=group == roles.PLAN_ADMINISTRATORS)

    response = client.post(reverse("login"), {"username": "someone", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)


@pytest.mark.django_db
def test_a_page_someone_was_sent_from_wins_over_my_actions(client):
    person(roles.OFFICERS, "officer")

    response = client.post(
        reverse("login") + "?next=/overdue/", {"username": "officer", "password": PASSWORD}
    )

    assert response["Location"] == "/overdue/"


@pytest.mark.django_db
def test_an_officers_own_action_is_under_my_actions_and_anothers_under_the_register(client):
    officer = person(roles.OFFICERS, "officer")
    own = ActionFactory(lead=LeadFactory(user=officer))
    other = ActionFactory()
    client.force_login(officer)

    assert current_section(client.get(reverse("actions:detail", args=[own.pk]))) == ["My actions"]
    assert current_section(client.get(reverse("actions:detail", args=[other.pk]))) == ["Register"]
    # Where recording an update leads back to.
    assert current_section(client.get(reverse("actions:record_update", args=[own.pk]))) == [
        "My actions"
    ]


@pytest.mark.django_db
def test_a_member_reading_an_action_is_in_the_register(client):
    client.force_login(person(roles.SCRUTINY_MEMBERS, "councillor"))

    response = client.get(reverse("actions:detail", args=[ActionFactory().pk]))

    assert current_section(response) == ["Register"]


@pytest.mark.django_db
def test_sign_in_errors_read_as_sentences(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    html = response.content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert "“" not in re.search(r'<div class="govuk-error-summary.*?</div>\s*</div>', html, re.S)[0]
