"""The four groups the roles migrations make, and who may use the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions.models import Action, Timeframe
from actions.roles import (
    GROUP_PERMISSIONS,
    OFFICERS,
    PLAN_ADMINISTRATORS,
    SCRUTINY_MEMBERS,
    SCRUTINY_OFFICERS,
)
from tests.factories import LeadFactory, ThemeFactory, UserFactory


def permissions_of(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.django_db
def test_migrations_make_exactly_the_four_groups():
    assert set(Group.objects.values_list("name", flat=True)) == {
        PLAN_ADMINISTRATORS,
        OFFICERS,
        SCRUTINY_MEMBERS,
        SCRUTINY_OFFICERS,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [PLAN_ADMINISTRATORS, OFFICERS, SCRUTINY_MEMBERS, SCRUTINY_OFFICERS]
)
def test_each_group_has_exactly_the_permissions_its_role_lists(name):
    assert permissions_of(Group.objects.get(name=name)) == set(GROUP_PERMISSIONS[name])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [PLAN_ADMINISTRATORS, OFFICERS, SCRUTINY_MEMBERS, SCRUTINY_OFFICERS]
)
def test_nobody_but_a_superuser_may_change_or_delete_a_progress_update(name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))

    assert not user.has_perm("actions.change_progressupdate")
    assert not user.has_perm("actions.delete_progressupdate")
    for history in ["response", "statechange"]:
        assert not user.has_perm(f"scrutiny.change_{history}")
        assert not user.has_perm(f"scrutiny.delete_{history}")
    # An item raised in error is withdrawn, with the reason; nobody deletes one.
    assert not user.has_perm("scrutiny.delete_item")
    assert not user.has_perm("scrutiny.delete_meeting")


@pytest.mark.django_db
def test_plan_administrators_keep_the_plan_and_add_updates():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))

    for model in ["themes.plan", "themes.theme", "actions.action", "actions.lead"]:
        app_label, name = model.split(".")
        for verb in ["add", "change", "delete", "view"]:
            assert user.has_perm(f"{app_label}.{verb}_{name}")
    assert user.has_perm("actions.add_progressupdate")
    assert user.has_perm("actions.view_historicalaction")


@pytest.mark.django_db
def test_officers_read_everything_and_add_progress_updates_only():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=OFFICERS))

    assert user.has_perm("actions.view_action")
    assert user.has_perm("themes.view_plan")
    assert user.has_perm("actions.add_progressupdate")
    assert not user.has_perm("actions.change_action")
    assert not user.has_perm("actions.add_timeframe")


@pytest.mark.django_db
def test_scrutiny_members_can_only_view():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))

    assert user.has_perm("actions.view_progressupdate")
    assert user.has_perm("themes.view_saving")
    assert {perm.split(".")[1].split("_")[0] for perm in user.get_all_permissions()} == {"view"}


@pytest.fixture(params=[OFFICERS, SCRUTINY_MEMBERS])
def non_staff_client(request, client):
    user = UserFactory(username="member")
    user.groups.add(Group.objects.get(name=request.param))
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:actions_action_changelist", "admin:actions_progressupdate_add"],
)
def test_officers_and_scrutiny_members_are_sent_to_the_admin_login(non_staff_client, url_name):
    url = reverse(url_name)

    response = non_staff_client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.django_db
def test_officers_and_scrutiny_members_cannot_add_anything_through_the_admin(non_staff_client):
    theme, lead = ThemeFactory(), LeadFactory()
    timeframe = Timeframe.objects.create(label="March 2023")

    login = reverse("admin:login")
    timeframe_response = non_staff_client.post(
        reverse("admin:actions_timeframe_add"), {"label": "April 2023"}
    )
    action_response = non_staff_client.post(
        reverse("admin:actions_action_add"),
        {
            "theme": theme.pk,
            "position": 1,
            "description": "Sneaked in",
            "lead": lead.pk,
            "timeframe": timeframe.pk,
        },
    )

    assert timeframe_response.url.startswith(login)
    assert action_response.url.startswith(login)
    assert list(Timeframe.objects.values_list("label", flat=True)) == ["March 2023"]
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_scrutiny_officers_record_meetings_items_and_decisions_but_no_answers_or_plans():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=SCRUTINY_OFFICERS))

    for verb in ["add", "change", "view"]:
        assert user.has_perm(f"scrutiny.{verb}_meeting")
        assert user.has_perm(f"scrutiny.{verb}_item")
    assert user.has_perm("scrutiny.record_decision")
    assert user.has_perm("actions.view_action")
    assert not user.has_perm("scrutiny.add_response")
    assert not user.has_perm("actions.add_progressupdate")
    assert not user.has_perm("actions.change_action")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [PLAN_ADMINISTRATORS, OFFICERS, SCRUTINY_MEMBERS])
def test_only_scrutiny_officers_record_the_committees_decisions(name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))

    assert not user.has_perm("scrutiny.record_decision")


@pytest.mark.django_db
def test_scrutiny_officers_use_the_admin_for_meetings_and_items(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=SCRUTINY_OFFICERS))
    client.force_login(user)

    assert client.get(reverse("admin:scrutiny_meeting_add")).status_code == 200
    assert client.get(reverse("admin:scrutiny_item_changelist")).status_code == 200
    assert client.get(reverse("admin:actions_action_add")).status_code == 403
