"""Administrators reorder rows in the admin's inlines: two rows swap a value each must
hold alone (a position, a year, a name) in one save, on SQLite and PostgreSQL alike."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from actions.models import SubStep
from tests.factories import ActionFactory, PlanFactory, SubStepFactory, ThemeFactory, UserFactory
from tests.html_forms import post_form
from themes.models import Saving, Theme


@pytest.fixture
def administrator(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def change_page(client, obj):
    info = (obj._meta.app_label, obj._meta.model_name)
    url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
    return url, post_form(client.get(url).content.decode())


def swap(data, prefix, name):
    first, second = f"{prefix}-0-{name}", f"{prefix}-1-{name}"
    data[first], data[second] = data[second], data[first]


def saved(client, url, data):
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_swapping_two_sub_steps_positions(administrator):
    action = ActionFactory()
    SubStepFactory(action=action, position=1, description="Agree terms of reference")
    SubStepFactory(action=action, position=2, description="Hold the first meeting")
    url, data = change_page(administrator, action)

    swap(data, "sub_steps", "position")
    saved(administrator, url, data)

    order = list(SubStep.objects.filter(action=action).order_by("position"))
    assert [step.description for step in order] == [
        "Hold the first meeting",
        "Agree terms of reference",
    ]
    # History records the positions chosen, never the values stepped through.
    recorded = {h.position for h in SubStep.history.filter(action_id=action.pk)}
    assert recorded == {1, 2}


def test_swapping_two_savings_years(administrator):
    theme = ThemeFactory()
    Saving.objects.create(theme=theme, year="2021/22", amount_thousands=Decimal("100.0"))
    Saving.objects.create(theme=theme, year="2022/23", amount_thousands=Decimal("250.0"))
    url, data = change_page(administrator, theme)

    swap(data, "savings", "year")
    saved(administrator, url, data)

    amounts = dict(Saving.objects.filter(theme=theme).values_list("year", "amount_thousands"))
    assert amounts == {"2021/22": Decimal("250.0"), "2022/23": Decimal("100.0")}


def test_swapping_two_theme_names_and_positions_in_a_plan(administrator):
    plan = PlanFactory()
    first = ThemeFactory(plan=plan, name="Early help", position=1)
    second = ThemeFactory(plan=plan, name="Children in care", position=2)
    url, data = change_page(administrator, plan)

    swap(data, "themes", "name")
    swap(data, "themes", "position")
    saved(administrator, url, data)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.position) == ("Children in care", 2)
    assert (second.name, second.position) == ("Early help", 1)


def test_two_rows_given_the_same_position_get_a_message_not_an_error(administrator):
    action = ActionFactory()
    SubStepFactory(action=action, position=1)
    SubStepFactory(action=action, position=2)
    url, data = change_page(administrator, action)

    data["sub_steps-1-position"] = data["sub_steps-0-position"]
    response = administrator.post(url, {**data, "_save": "Save"})

    assert response.status_code == 200
    assert "Please correct the duplicate data for position" in response.content.decode()


# Every inline whose rows hold a value unique among their siblings is tested above.
TESTED = {(SubStep, "position"), (Saving, "year"), (Theme, "name")}


def test_every_inline_with_unique_values_is_tested_for_swapping():
    found = set()
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            fields = inline.fields or []
            for constraint in inline.model._meta.total_unique_constraints:
                found |= {(inline.model, name) for name in constraint.fields if name in fields}
    assert found <= TESTED, f"Add a swapping test for {found - TESTED}"
