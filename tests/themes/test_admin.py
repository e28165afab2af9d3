import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions.roles import PLAN_ADMINISTRATORS
from tests.factories import ActionFactory, PlanFactory, ProgressUpdateFactory, UserFactory
from tests.html_forms import post_form


@pytest.mark.django_db
def test_a_theme_stays_in_the_plan_it_was_added_to(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    client.force_login(user)
    update = ProgressUpdateFactory(action=ActionFactory(theme__name="Working in Partnership"))
    theme = update.action.theme
    plan = theme.plan
    elsewhere = PlanFactory(name="CYPE Directorate Plan 2022-24")
    url = reverse("admin:themes_theme_change", args=[theme.pk])
    data = post_form(client.get(url).content.decode())

    response = client.post(url, {**data, "plan": elsewhere.pk, "_save": "Save"})

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.plan == plan
    assert 'name="plan"' not in client.get(url).content.decode()
