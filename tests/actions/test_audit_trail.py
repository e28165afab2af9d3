"""Edits in the admin keep a history of who changed what and when, shown in the admin."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory


@pytest.fixture
def performance_team(client, db):
    user = UserFactory(username="performance", first_name="Pat", last_name="Formance")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    client.force_login(user)
    return client


def change_form_data(response):
    """What the change page would post back unchanged: the form and every inline."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            elif isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, date):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data["_save"] = "Save"
    return data


@pytest.fixture
def action(db):
    return ActionFactory(
        theme=ThemeFactory(
            plan=PlanFactory(
                name="Directorate plan", slug="directorate", starts_on=date(2022, 4, 1)
            )
        ),
        description="Review the Fair Access Panel processes",
    )


EDITS = [
    # (admin model name, how to reach the object from the action, field, new value)
    ("themes_plan", lambda action: action.theme.plan, "name", "Directorate plan (revised)"),
    ("themes_theme", lambda action: action.theme, "name", "Working in Partnership"),
    ("actions_lead", lambda action: action.lead, "job_title", "Director of Education"),
    ("actions_timeframe", lambda action: action.timeframe, "label", "December 2022"),
    ("actions_action", lambda action: action, "description", "Review the Fair Access Panel"),
]


@pytest.mark.parametrize(("admin_name", "target", "field", "new_value"), EDITS)
def test_an_admin_edit_is_kept_with_who_made_it_and_what_it_was_before(
    performance_team, action, admin_name, target, field, new_value
):
    thing = target(action)
    old_value = getattr(thing, field)
    change_url = reverse(f"admin:{admin_name}_change", args=[thing.pk])
    data = change_form_data(performance_team.get(change_url))
    data[field] = new_value

    response = performance_team.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    thing.refresh_from_db()
    assert getattr(thing, field) == new_value
    latest, before = thing.history.all()[:2]
    assert latest.history_user.username == "performance"
    assert (getattr(before, field), getattr(latest, field)) == (old_value, new_value)
    assert field in latest.diff_against(before).changed_fields

    history_page = performance_team.get(reverse(f"admin:{admin_name}_history", args=[thing.pk]))
    assert history_page.status_code == 200
    assert "performance" in history_page.content.decode()
