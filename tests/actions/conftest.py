"""Fixtures for the pages' tests: the council's real plans, and a signed-in councillor."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.factories import UserFactory


@pytest.fixture
def real_plans(db):
    call_command("loaddata", "cype_directorate_plan_2022_24", verbosity=0)
    call_command("loaddata", "childrens_continuous_improvement_plan_2021_24", verbosity=0)


@pytest.fixture
def member(db, client):
    user = UserFactory(username="councillor")
    user.groups.add(Group.objects.get(name="Scrutiny members"))
    client.force_login(user)
    return client
