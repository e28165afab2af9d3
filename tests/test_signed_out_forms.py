"""A form sent after the session ended is kept, not lost: the sign-in page says so, and
after signing in the form comes back as it was sent, with nothing saved until it is sent
again (cypeplan.unsent)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from actions import roles
from actions.models import Action, Lead, ProgressUpdate
from cypeplan.admin_site import NOT_SAVED_YET
from scrutiny.models import Response
from tests.factories import ActionFactory, ItemFactory, LeadFactory, SubStepFactory, UserFactory
from tests.html_forms import post_form

PASSWORD = "correct horse battery staple"
WRITTEN = "Written over an hour at the kitchen table: the board met twice."


@pytest.fixture
def officer(db):
    user = UserFactory(username="kerry", first_name="Kerry", last_name="Crichlow")
    user.groups.add(Group.objects.get(name=roles.OFFICERS))
    return user


def hidden_fields(html):
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html))


def sign_in_again(client, user, next_url):
    return client.post(
        reverse("login") + f"?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
        follow=True,
    )


def update_form(client, action):
    url = reverse("actions:record_update", args=[action.pk])
    today = timezone.localdate()
    return url, {
        **hidden_fields(client.get(url).content.decode()),
        "reported_on_day": str(today.day),
        "reported_on_month": str(today.month),
        "reported_on_year": str(today.year),
        "status": "in_progress",
        "rag": "green",
        "working_well": WRITTEN,
    }


def test_an_update_sent_after_the_session_ended_comes_back_after_signing_in(client, officer):
    action = ActionFactory(lead=LeadFactory(user=officer))
    client.force_login(officer)
    url, form = update_form(client, action)
    client.logout()  # what SESSION_IDLE_HOURS does to an idle session

    sent = client.post(url, form)
    sign_in = client.get(sent["Location"]).content.decode()
    back = sign_in_again(client, officer, url)
    page = back.content.decode()

    assert sent.status_code == 302 and sent["Location"].startswith(reverse("login"))
    assert "You were signed out before your form was sent, so nothing was saved." in sign_in
    assert back.redirect_chain[-1][0] == url
    assert "This is what you wrote before you were signed out." in page
    assert WRITTEN in page
    assert not ProgressUpdate.objects.exists()
    # Sent now, it is recorded once, under the form's own key.
    client.post(url, {**form, **hidden_fields(page)})
    assert list(ProgressUpdate.objects.values_list("working_well", flat=True)) == [WRITTEN]
    assert "This is what you wrote" not in client.get(url).content.decode()


def test_an_answer_sent_after_the_session_ended_comes_back_after_signing_in(client, officer):
    item = ItemFactory(answerer=LeadFactory(user=officer))
    url = reverse("scrutiny:item_answer", args=[item.pk])
    client.force_login(officer)
    shown = hidden_fields(client.get(url).content.decode())
    client.logout()

    sent = client.post(url, {**shown, "text": WRITTEN, "considers_answered": "on"})
    page = sign_in_again(client, officer, url).content.decode()

    assert sent["Location"].startswith(reverse("login"))
    assert WRITTEN in page and "This is what you wrote before you were signed out." in page
    assert not Response.objects.exists()


def test_what_was_sent_is_kept_for_an_hour_only(client, officer):
    action = ActionFactory(lead=LeadFactory(user=officer))
    client.force_login(officer)
    url, form = update_form(client, action)
    client.logout()
    client.post(url, form)

    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        page = sign_in_again(client, officer, url).content.decode()

    assert WRITTEN not in page and "This is what you wrote" not in page


def test_a_post_larger_than_any_form_is_not_kept_in_a_signed_out_session(client, officer):
    # Anyone may post to a form's page signed out: what is kept must stay small.
    item = ItemFactory(answerer=LeadFactory(user=officer))
    url = reverse("scrutiny:item_answer", args=[item.pk])
    client.force_login(officer)
    shown = hidden_fields(client.get(url).content.decode())
    client.logout()

    sent = client.post(url, {**shown, "text": "x" * 60_000, "evidence": "y" * 60_000})

    assert sent["Location"].startswith(reverse("login"))
    assert "unsent_form" not in client.session
    sign_in = client.get(sent["Location"]).content.decode()
    assert "You were signed out before your form was sent" not in sign_in


def test_a_form_filled_to_its_limits_is_still_kept(client, officer):
    action = ActionFactory(lead=LeadFactory(user=officer))
    client.force_login(officer)
    url, form = update_form(client, action)
    client.logout()
    narratives = ("working_well", "worried_about", "evidence", "rag_change_reason")
    full = {**form, **dict.fromkeys(narratives, "z" * 10_000)}

    client.post(url, full)

    assert client.session["unsent_form"]["data"]["evidence"] == ["z" * 10_000]


def test_the_next_person_to_sign_in_never_sees_what_someone_else_sent(client, officer):
    # A shared PC: Kerry's session ended and her update was kept; Sam signs in next.
    colleague = UserFactory(username="sam")
    colleague.groups.add(Group.objects.get(name=roles.OFFICERS))
    action = ActionFactory(lead=LeadFactory(user=officer))
    action.lead.delegates.add(colleague)
    client.force_login(officer)
    url, form = update_form(client, action)
    client.logout()
    client.post(url, form)

    later = client.get(reverse("login") + "?next=/").content.decode()
    page = sign_in_again(client, colleague, url).content.decode()

    # Coming to the site later, Sam isn't told of a form that isn't his, nor given it.
    assert "You were signed out before your form was sent" not in later
    assert WRITTEN not in page and "This is what you wrote" not in page
    assert "unsent_form" not in client.session
    # And it is gone: Kerry signing in after Sam at the same PC doesn't get it either.
    client.logout()
    assert WRITTEN not in sign_in_again(client, officer, url).content.decode()


@pytest.mark.parametrize("written_by", [None, "", "1:made-up-signature"])
def test_a_form_no_one_signed_in_was_shown_is_not_kept(client, officer, written_by):
    item = ItemFactory(answerer=LeadFactory(user=officer))
    url = reverse("scrutiny:item_answer", args=[item.pk])
    sent = {"text": WRITTEN, "considers_answered": "on"}
    if written_by is not None:
        sent["written_by"] = written_by

    response = client.post(url, sent)

    assert response["Location"].startswith(reverse("login"))
    assert "unsent_form" not in client.session
    assert WRITTEN not in sign_in_again(client, officer, url).content.decode()


def heading(page):
    """The admin page's title and its heading naming the record."""
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    named = re.search(r"<h2>(.*?)</h2>", page, re.S).group(1)
    return title + named


@pytest.fixture
def plan_administrator(db):
    user = UserFactory(username="amina", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    return user


def test_an_admin_change_saved_after_the_session_ended_comes_back_after_signing_in(
    client, plan_administrator
):
    action = ActionFactory(description="Agree the protocol")
    step = SubStepFactory(action=action, description="Draft it")
    url = reverse("admin:actions_action_change", args=[action.pk])
    client.force_login(plan_administrator)
    form = post_form(client.get(url).content.decode())
    client.logout()  # what SESSION_IDLE_HOURS does to an idle session

    sent = client.post(
        url, {**form, "description": WRITTEN, "sub_steps-0-description": "Draft it twice"}
    )
    sign_in = client.get(sent["Location"]).content.decode()
    back = sign_in_again(client, plan_administrator, url)
    page = back.content.decode()

    assert sent.status_code == 302 and sent["Location"].startswith(reverse("login"))
    assert "You were signed out before your form was sent, so nothing was saved." in sign_in
    assert back.redirect_chain[-1][0] == url
    assert NOT_SAVED_YET in page
    # A note, not an error: nothing is wrong with what was sent, and the heading, title and
    # breadcrumbs name the record as it is stored, not as typed.
    assert "Please correct the error" not in page and "errornote" not in page
    assert "<title>Error" not in page
    assert "Agree the protocol" in heading(page) and WRITTEN not in heading(page)
    assert WRITTEN in page and "Draft it twice" in page
    action.refresh_from_db()
    step.refresh_from_db()
    assert (action.description, step.description) == ("Agree the protocol", "Draft it")
    assert [entry.history_type for entry in action.history.all()] == ["+"]
    # Saved now, as the page came back, it is kept; the page is then as it always was.
    assert client.post(url, post_form(page)).status_code == 302
    action.refresh_from_db()
    step.refresh_from_db()
    assert (action.description, step.description) == (WRITTEN, "Draft it twice")
    assert NOT_SAVED_YET not in client.get(url).content.decode()


def test_an_admin_record_added_after_the_session_ended_is_not_added_until_saved_again(
    client, plan_administrator
):
    url = reverse("admin:actions_lead_add")
    client.force_login(plan_administrator)
    form = post_form(client.get(url).content.decode())
    client.logout()

    client.post(url, {**form, "name": "Róisín Madden", "job_title": WRITTEN})
    page = sign_in_again(client, plan_administrator, url).content.decode()

    assert NOT_SAVED_YET in page and WRITTEN in page
    assert "Please correct the error" not in page
    assert not Lead.objects.filter(name="Róisín Madden").exists()
    assert client.post(url, post_form(page)).status_code == 302
    assert Lead.objects.filter(name="Róisín Madden", job_title=WRITTEN).exists()


def test_an_admin_change_kept_for_one_administrator_is_not_shown_to_another(
    client, plan_administrator
):
    colleague = UserFactory(username="brian", is_staff=True)
    colleague.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    action = ActionFactory(description="Agree the protocol")
    url = reverse("admin:actions_action_change", args=[action.pk])
    client.force_login(plan_administrator)
    form = post_form(client.get(url).content.decode())
    client.logout()
    client.post(url, {**form, "description": WRITTEN})

    page = sign_in_again(client, colleague, url).content.decode()

    assert WRITTEN not in page and NOT_SAVED_YET not in page
    assert Action.objects.get(pk=action.pk).description == "Agree the protocol"
