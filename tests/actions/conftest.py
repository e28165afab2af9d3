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


@pytest.fixture(params=["kept", "searched"])
def both_ways(request, monkeypatch):
    """Run a test twice: once with with_state reading each action's kept newest update at
    every date it can (as known now), once searching the updates at every date. The rules
    must give the same answers either way."""
    from actions.models.rules import queryset as rules

    if request.param == "kept":
        reads_kept = lambda as_at, known_at: known_at is None  # noqa: E731
    else:
        reads_kept = lambda as_at, known_at: False  # noqa: E731
    monkeypatch.setattr(rules, "_reads_newest_kept", reads_kept)
    return request.param


@pytest.fixture
def reversed_addresses(monkeypatch):
    """The names reversed for lists' rows (actions.presentation.addresses), one a call."""
    from actions.presentation import addresses

    calls = []
    original = addresses.reverse

    def counted(name, *args, **kwargs):
        calls.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(addresses, "reverse", counted)
    return calls
