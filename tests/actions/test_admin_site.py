"""The admin as the app's own: its name in the header, the app's 403 page for anyone
signed in without admin rights, who can sign in on the lead list, and no dead-end delete."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from tests.factories import ActionFactory, LeadFactory, ProgressUpdateFactory, UserFactory
from tests.html_forms import post_form


def signed_in(client, group, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("group", [roles.OFFICERS, roles.SCRUTINY_MEMBERS])
def test_someone_without_admin_rights_gets_the_apps_403_page(client, group):
    signed_in(client, group)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have permission" in html
    assert "CYPE plan tracker" in html
    assert 'name="password"' not in html


@pytest.mark.django_db
def test_someone_signed_out_signs_in_through_the_apps_own_page(client):
    response = client.get(reverse("admin:actions_action_changelist"), follow=True)

    assert response.redirect_chain[-1][0] == "/sign-in/?next=/admin/actions/action/"
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_admin_header_carries_the_apps_name(client):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)

    html = client.get(reverse("admin:index")).content.decode()

    assert "CYPE plan tracker: administration" in html
    assert "Django administration" not in html
    assert "<title>Plans, themes, leads, timeframes and actions | CYPE plan tracker" in html


@pytest.mark.django_db
def test_the_lead_list_says_who_can_sign_in(client):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    LeadFactory(name="Has An Account", user=UserFactory(username="kerry"))
    LeadFactory(name="Switched Off", user=UserFactory(username="gone", is_active=False))
    LeadFactory(name="No Account", user=None)

    html = client.get(reverse("admin:actions_lead_changelist")).content.decode()

    assert "Can sign in" in html
    assert "Yes, as kerry" in html
    assert "No: gone is switched off" in html
    assert "No: no account linked" in html


@pytest.mark.django_db
def test_deleting_an_action_with_history_explains_and_offers_to_close_it(client):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    action = ActionFactory()
    ProgressUpdateFactory(action=action)
    url = reverse("admin:actions_action_delete", args=[action.pk])

    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "has 1 progress update. Progress history is kept for good" in html
    assert f'href="{reverse("actions:record_update", args=[action.pk])}"' in html
    assert "Close the action: record an update" in html
    assert "protected" not in html
    # Posting the delete anyway changes nothing.
    client.post(url, {"post": "yes"})
    assert type(action).objects.filter(pk=action.pk).exists()


@pytest.mark.django_db
def test_an_action_without_history_can_still_be_deleted(client):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    action = ActionFactory()
    url = reverse("admin:actions_action_delete", args=[action.pk])

    assert "Are you sure" in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert not type(action).objects.filter(pk=action.pk).exists()


@pytest.mark.django_db
def test_deleting_a_lead_a_scrutiny_item_names_says_what_depends_on_it(client):
    from tests.factories import ItemFactory

    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    lead = LeadFactory(name="Kerry Crichlow")
    item = ItemFactory(answerer=lead, words="Members asked for the placements review")
    url = reverse("admin:actions_lead_delete", args=[lead.pk])

    html = client.get(url).content.decode()

    # The item is named as what stops the deletion, not a permission the person lacks.
    assert "your account doesn't have permission" not in html.replace("&#x27;", "'")
    assert "would require deleting the following protected related objects" in html
    assert "Members asked for the placements review" in html
    client.post(url, {"post": "yes"})
    assert type(lead).objects.filter(pk=lead.pk).exists()
    assert type(item).objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_an_action_members_asked_about_cannot_be_deleted_and_says_why(client):
    from tests.factories import ItemFactory

    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    action = ActionFactory()
    item = ItemFactory(actions=[action])
    url = reverse("admin:actions_action_delete", args=[action.pk])

    html = client.get(url).content.decode()

    assert "can’t be deleted: members have asked about it (1 scrutiny item)." in html
    assert "has 0 progress update" not in html
    client.post(url, {"post": "yes"})
    assert list(item.actions.all()) == [action]


@pytest.mark.django_db
def test_delete_selected_keeps_an_action_members_asked_about_and_says_why(client):
    from tests.factories import ItemFactory

    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    asked = ActionFactory(reference="1.3", description="Responses to care leavers")
    unasked = ActionFactory(reference="1.4", description="Entered by mistake")
    item = ItemFactory(actions=[asked])
    chosen = {"action": "delete_selected", "_selected_action": [asked.pk, unasked.pk]}
    url = reverse("admin:actions_action_changelist")

    html = client.post(url, chosen).content.decode()
    client.post(url, {**chosen, "post": "yes"})

    assert (
        "Action 1.3 Responses to care leavers: members have asked about it (1 scrutiny item)"
        in html
    )
    assert list(item.actions.all()) == [asked]
    assert type(asked).objects.filter(pk=unasked.pk).exists()


@pytest.mark.django_db
def test_a_division_with_leads_cannot_be_deleted_and_its_leads_are_named(client):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    lead = LeadFactory(name="Shelley Davies", division__name="Education")
    url = reverse("admin:actions_division_delete", args=[lead.division_id])

    html = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in html
    assert "Shelley Davies" in html
    lead.refresh_from_db()
    assert lead.division.name == "Education"


@pytest.mark.django_db
def test_a_lead_who_directs_a_division_cannot_be_deleted_and_the_division_is_named(client):
    from actions.models import Division

    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    director = LeadFactory(name="Shelley Davies", division=None)
    Division.objects.create(name="Education", director=director)
    url = reverse("admin:actions_lead_delete", args=[director.pk])

    html = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in html
    assert "Division: <a" in html and ">Education</a>" in html
    assert Division.objects.get().director == director


@pytest.mark.django_db
def test_an_account_a_lead_signs_in_with_cannot_be_deleted_and_the_lead_is_named(admin_client):
    account = UserFactory(username="kcrichlow")
    lead = LeadFactory(name="Kerry Crichlow", user=account)
    url = reverse("admin:auth_user_delete", args=[account.pk])

    html = admin_client.get(url).content.decode()
    admin_client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in html
    assert "Kerry Crichlow" in html
    lead.refresh_from_db()
    assert lead.user == account


@pytest.fixture
def confirmed_step(db):
    """A sub-step whose "31/09/22" a person confirmed as 30 September 2022."""
    from actions.models import Timeframe
    from actions.services import date_confirmation_record
    from tests.factories import SubStepFactory

    step = SubStepFactory(
        description="b) Produce practice guidance",
        timeframe=Timeframe.objects.create(label="31/09/22", to_be_confirmed=True),
    )
    with time_machine.travel(datetime(2022, 10, 4, 12, tzinfo=ZoneInfo("Europe/London"))):
        date_confirmation_record(
            action=step.action,
            sub_step=step,
            confirmed_on=date(2022, 9, 30),
            reason="Confirmed with the Head of Service.",
            entered_by=UserFactory(username="performance"),
        )
    return step


@pytest.mark.django_db
def test_a_sub_step_with_a_confirmed_date_is_not_deleted_from_its_actions_page(
    client, confirmed_step
):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    url = reverse("admin:actions_action_change", args=[confirmed_step.action_id])
    data = post_form(client.get(url).content.decode())
    data["sub_steps-0-DELETE"] = "on"

    html = client.post(url, {**data, "_save": "Save"}).content.decode()

    assert (
        "Sub-step “b) Produce practice guidance” can’t be deleted: its date was confirmed "
        "(30 September 2022, confirmed by performance on 4 October 2022)." in html
    )
    assert confirmed_step.date_confirmations.get().reason == "Confirmed with the Head of Service."


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["own page", "delete selected"])
def test_a_sub_step_with_a_confirmed_date_cannot_be_deleted_and_says_why(
    client, confirmed_step, how
):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    if how == "own page":
        url, data = reverse("admin:actions_substep_delete", args=[confirmed_step.pk]), {}
    else:
        url = reverse("admin:actions_substep_changelist")
        data = {"action": "delete_selected", "_selected_action": [confirmed_step.pk]}

    html = client.post(url, data).content.decode()
    client.post(url, {**data, "post": "yes"})

    assert (
        "Sub-step b) Produce practice guidance: its date was confirmed (30 September 2022, "
        "confirmed by performance on 4 October 2022)" in html
    )
    assert confirmed_step.date_confirmations.get().reason == "Confirmed with the Head of Service."


@pytest.mark.django_db
def test_a_lead_who_supports_an_action_cannot_be_deleted_and_it_is_named(client):
    signed_in(client, roles.PLAN_ADMINISTRATORS, is_staff=True)
    helper = LeadFactory(name="Jane Tester")
    action = ActionFactory(reference="3.2", description="Agree the data sharing protocol")
    action.supporting_leads.add(helper)
    url = reverse("admin:actions_lead_delete", args=[helper.pk])

    html = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "Action they support: 3.2 Agree the data sharing protocol" in html
    assert list(action.supporting_leads.all()) == [helper]
