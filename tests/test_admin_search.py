"""The admin's search boxes, and the lead pickers (autocompletes) built on them, find names
and words whatever their case, accents or apostrophes, as the register does, on SQLite as
on PostgreSQL."""

import json

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse

from actions.roles import PLAN_ADMINISTRATORS
from tests.factories import ActionFactory, ItemFactory, LeadFactory, UserFactory


@pytest.fixture
def plan_admin_client(db, client):
    user = UserFactory(username="performance", is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    client.force_login(user)
    return client


@pytest.fixture
def actions(db):
    return {
        "madden": ActionFactory(
            description="Agree the Children’s Partnership plan",
            lead=LeadFactory(name="Róisín Madden", initials="RM"),
        ),
        "straight": ActionFactory(description="Review the children's front door"),
        "other": ActionFactory(description="Refresh the partnership agreement"),
    }


def listed(client, url_name, search):
    response = client.get(reverse(url_name), {"q": search})
    assert response.status_code == 200
    return {str(row) for row in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("roisin", {"madden"}),
        ("RÓISÍN", {"madden"}),
        ("Roisin children’s", {"madden"}),
        ("children's", {"madden", "straight"}),
        ("children’s", {"madden", "straight"}),
        ("CHILDREN‘S FRONT", {"straight"}),
    ],
)
def test_action_search_finds_words_whatever_their_case_accents_or_apostrophes(
    plan_admin_client, actions, search, expected
):
    assert listed(plan_admin_client, "admin:actions_action_changelist", search) == {
        str(actions[name]) for name in expected
    }


@pytest.mark.parametrize("search", ["roisin front", "madsen", "children’s'", "%"])
def test_action_search_for_words_no_action_has_finds_nothing(plan_admin_client, actions, search):
    assert listed(plan_admin_client, "admin:actions_action_changelist", search) == set()


@pytest.mark.parametrize("search", ["roisin", "RÓISÍN madden"])
def test_lead_list_and_lead_picker_find_a_name_typed_without_accents(
    plan_admin_client, actions, search
):
    lead = str(actions["madden"].lead)
    assert listed(plan_admin_client, "admin:actions_lead_changelist", search) == {lead}

    response = plan_admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "actions", "model_name": "action", "field_name": "lead", "term": search},
    )
    assert [row["text"] for row in json.loads(response.content)["results"]] == [lead]


def test_scrutiny_item_search_finds_its_words_and_who_must_answer(plan_admin_client, actions):
    item = ItemFactory(
        words="Members asked for the children’s services’ figures",
        answerer=actions["madden"].lead,
    )
    ItemFactory(words="Members asked about school transport")
    url_name = "admin:scrutiny_item_changelist"

    assert listed(plan_admin_client, url_name, "roisin") == {str(item)}
    assert listed(plan_admin_client, url_name, "children's services'") == {str(item)}
    assert listed(plan_admin_client, url_name, "CHILDREN’S") == {str(item)}
    assert listed(plan_admin_client, url_name, "children's transport") == set()


def test_every_admin_search_box_compares_its_text_as_search_does():
    plain = {
        f"{model._meta.label}: {name}"
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.get_search_fields(None)
        if not name.endswith(("__matches", "__matches_exactly"))
        and isinstance(
            get_fields_from_path(model, name.lstrip("=^@"))[-1],
            models.CharField | models.TextField,
        )
    }
    assert plain == set()
