"""Sign-in lockout behind the council's proxy: by username and address, and by address."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from actions import roles
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"
ADDRESS_A = "203.0.113.5"
ADDRESS_B = "198.51.100.7"


@pytest.fixture
def behind_one_proxy(settings):
    settings.AXES_ENABLED = True
    settings.PROXY_COUNT = 1


def through_proxy(address, forwarded_by_client=""):
    """A browser at `address` reaching the app through the proxy, which appends the address
    it saw to whatever X-Forwarded-For the browser sent."""
    forwarded = f"{forwarded_by_client}, {address}" if forwarded_by_client else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def officer_locked_out_at(address):
    """An account "officer", and a browser at `address` that has given it five wrong
    passwords."""
    UserFactory(username="officer")
    attacker = through_proxy(address)
    for _ in range(5):
        sign_in(attacker, "officer", "wrong")
    return attacker


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_failures_from_one_address_do_not_lock_the_user_out_from_another(behind_one_proxy):
    officer_locked_out_at(ADDRESS_A)

    real_user = through_proxy(ADDRESS_B)
    response = sign_in(real_user, "officer", PASSWORD)

    assert response.status_code == 302
    assert signed_in(real_user)
    # The attacker's address stays locked, even with the right password.
    locked = sign_in(through_proxy(ADDRESS_A), "officer", PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.content.decode()


@pytest.mark.django_db
def test_five_more_failures_from_the_same_address_lock_it(behind_one_proxy):
    UserFactory(username="officer")
    attacker = through_proxy(ADDRESS_A)
    for _ in range(4):
        assert sign_in(attacker, "officer", "wrong").status_code == 200
    assert sign_in(through_proxy(ADDRESS_B), "officer", PASSWORD).status_code == 302

    fifth = sign_in(attacker, "officer", "wrong")
    assert fifth.status_code == 429
    for _ in range(5):
        assert sign_in(attacker, "officer", "wrong").status_code == 429

    response = sign_in(through_proxy(ADDRESS_A), "officer", PASSWORD)
    assert response.status_code == 429
    assert sign_in(through_proxy(ADDRESS_B), "officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_made_up_forwarded_address_does_not_escape_the_lockout(behind_one_proxy):
    UserFactory(username="officer")
    for n in range(5):
        sign_in(through_proxy(ADDRESS_A, forwarded_by_client=f"192.0.2.{n}"), "officer", "wrong")

    response = sign_in(
        through_proxy(ADDRESS_A, forwarded_by_client="192.0.2.99"), "officer", PASSWORD
    )

    assert response.status_code == 429


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_locked(behind_one_proxy, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    UserFactory(username="officer")
    attacker = through_proxy(ADDRESS_A)
    for n in range(12):
        # Three tries per username: never five for any one of them.
        sign_in(attacker, f"person{n // 3}", "wrong")

    assert sign_in(through_proxy(ADDRESS_A), "officer", PASSWORD).status_code == 429
    assert sign_in(through_proxy(ADDRESS_B), "officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_the_connection_address_is_the_client(settings):
    settings.AXES_ENABLED = True
    settings.PROXY_COUNT = 0
    UserFactory(username="officer")
    # Without a proxy, X-Forwarded-For is whatever the browser made up: ignored.
    for n in range(5):
        sign_in(Client(REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "officer", "x")

    assert sign_in(Client(REMOTE_ADDR=ADDRESS_A), "officer", PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR=ADDRESS_B), "officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_sign_in_pages_send_a_forgotten_password_to_whoever_can_reset_it(behind_one_proxy):
    attacker = officer_locked_out_at(ADDRESS_A)

    pages = {
        "sign in": Client().get(reverse("login")).content.decode(),
        "locked": sign_in(attacker, "officer", PASSWORD).content.decode(),
    }

    for name, page in pages.items():
        assert "ask the tracker’s system administrator" in page, name
        assert "only a superuser can reset a password" in page, name
        assert "ask a plan administrator" not in page and "performance team" not in page, name
    # And it is so: a plan administrator can't reach the accounts; a superuser can.
    administrator = UserFactory(username="planadmin", is_staff=True)
    administrator.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    for user, status in [(administrator, 403), (superuser, 200)]:
        client = Client()
        client.force_login(user)
        assert client.get(reverse("admin:auth_user_changelist")).status_code == status
