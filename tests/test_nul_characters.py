"""A NUL character (%00), which no one types, in a web address or a form: the app's page
says what was wrong, as it does for any other value it can't read."""

import html

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from tests.factories import PlanFactory, UserFactory

LEFT_OUT = (
    "The web address had a character no one types (a NUL, written %00) in “{}”: it was left out."
)


@pytest.fixture
def member(db):
    PlanFactory(slug="cype")
    user = UserFactory(username="member")
    user.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    return user


def shown(response):
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("signed_in", [True, False])
@pytest.mark.parametrize(
    "page",
    ["actions:dashboard", "actions:register", "actions:overdue", "reports:list", "scrutiny:index"],
)
def test_a_nul_in_a_web_address_is_left_out_and_the_page_says_so(client, member, page, signed_in):
    if signed_in:
        client.force_login(member)
    url = reverse(page)

    response = client.get(url, {"plan": "cype", "as_at": "2023-03-31\x00", "q": "a\x00b"})

    assert response.status_code == 302
    assert response["Location"] == f"{url}?plan=cype"
    followed = client.get(response["Location"], follow=True)
    assert followed.status_code == 200
    assert LEFT_OUT.format("as_at”, “q") in shown(followed)
    if not signed_in:
        assert followed.redirect_chain[-1][0].startswith(reverse("login"))


def test_a_nul_in_a_parameters_name_is_left_out_too(client, member):
    client.force_login(member)

    response = client.get(reverse("actions:register") + "?pl%00an=cype", follow=True)

    assert response.redirect_chain == [(reverse("actions:register"), 302)]
    assert LEFT_OUT.format("pl%00an") in shown(response)


def test_a_nul_in_a_form_records_nothing_and_the_page_says_why(client, member):
    client.raise_request_exception = False

    response = client.post(reverse("login"), {"username": "mem\x00ber", "password": "x"})

    assert response.status_code == 400
    page = shown(response)
    assert "Sorry, we could not accept that" in page
    assert (
        "What was sent had a character no one types (a NUL, written %00) in “username”: "
        "nothing was recorded." in page
    )


@pytest.mark.parametrize("path", ["//elsewhere.example/", "/\\elsewhere.example/"])
def test_leaving_out_a_nul_never_sends_the_browser_to_another_site(client, path):
    # The test client would read "//elsewhere.example/" as a host, so the path is given as
    # the server would receive it.
    response = client.get("/", {"q": "a\x00b"}, PATH_INFO=path)

    assert response.status_code == 302
    assert response["Location"] == "/elsewhere.example/"
