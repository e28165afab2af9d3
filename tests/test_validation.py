"""Every rule the database holds is said in plain words where people meet it."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PlanFactory, UserFactory
from themes.models import Plan

# The apps whose constraints this project's users meet in the admin (others: NOTES.md).
CHECKED_APPS = {"actions", "themes"}


def test_every_constraint_has_a_message_in_plain_words():
    for model in apps.get_models():
        if model._meta.app_label not in CHECKED_APPS:
            continue
        for constraint in model._meta.constraints:
            message = constraint.violation_error_message
            assert message != constraint.default_violation_error_message, constraint.name
            assert constraint.name not in message
            assert message.endswith("."), message


@pytest.fixture
def administrator(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_a_lead_with_neither_name_nor_initials_is_told_what_to_enter(administrator):
    response = administrator.post(
        reverse("admin:actions_lead_add"), {"name": "", "initials": "", "job_title": "Head"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter the lead’s name, their initials, or both." in text
    assert "lead_has_name_or_initials" not in text


@pytest.mark.parametrize("ends_on", [date(2022, 3, 31), date(2022, 4, 1)])
def test_a_plan_must_end_after_it_starts(administrator, ends_on):
    response = administrator.post(
        reverse("admin:themes_plan_add"),
        {
            "name": "Youth Justice Plan",
            "slug": "youth-justice",
            "starts_on": "2022-04-01",
            "ends_on": ends_on.isoformat(),
            "themes-TOTAL_FORMS": "0",
            "themes-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert "The plan must end after it starts: it starts on 1 April 2022." in (
        response.content.decode()
    )
    assert not Plan.objects.filter(slug="youth-justice").exists()


def test_the_database_refuses_a_plan_that_ends_before_it_starts(db):
    plan = PlanFactory.build(starts_on=date(2024, 4, 1), ends_on=date(2022, 3, 31))

    with pytest.raises(ValidationError, match="A plan must end after the day it starts."):
        plan.validate_constraints()
