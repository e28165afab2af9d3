import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_for_a_while(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="officer")
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
        assert "Enter a correct username and password" in response.content.decode()
    fifth = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert fifth.status_code == 429

    # While locked, even the right password is refused.
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})

    assert response.status_code == 429
    assert "Sign-in locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_right_password_after_a_few_wrong_ones_signs_in(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="officer")
    for _ in range(3):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_every_page_says_it_runs_only_our_own_scripts_and_styles(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
