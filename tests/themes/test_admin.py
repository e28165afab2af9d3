from datetime import date

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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "starts_on, saved", [("2021-07-02", False), ("2021-07-01", True), ("2021-04-01", True)]
)
def test_a_plan_cannot_start_after_progress_reported_on_it(client, starts_on, saved):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    client.force_login(user)
    plan = PlanFactory(starts_on=date(2021, 4, 1), ends_on=date(2024, 3, 31))
    action = ActionFactory(theme__plan=plan, reference="1.1", description="Remove vacant posts")
    ProgressUpdateFactory(action=action, reported_on=date(2021, 7, 1))
    url = reverse("admin:themes_plan_change", args=[plan.pk])
    data = post_form(client.get(url).content.decode())

    response = client.post(url, {**data, "starts_on": starts_on, "_save": "Save"})

    plan.refresh_from_db()
    if saved:
        assert response.status_code == 302
        assert plan.starts_on == date.fromisoformat(starts_on)
    else:
        assert response.context["adminform"].form.errors["starts_on"] == [
            "The plan can’t start after 1 July 2021: progress is reported on that day (on "
            "“1.1 Remove vacant posts”). Check the year."
        ]
        assert plan.starts_on == date(2021, 4, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "year, saved", [("2021-22", False), ("2021/23", False), ("21/22", False), ("2021/22", True)]
)
def test_a_saving_year_is_a_financial_year_written_as_the_plans_write_it(client, year, saved):
    from tests.factories import ThemeFactory
    from themes.models import Saving

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    client.force_login(user)
    theme = ThemeFactory(name="Reduce Early Help", mtfs_ref="CFE SAV 02")

    response = client.post(
        reverse("admin:themes_saving_add"),
        {"theme": theme.pk, "year": year, "amount_thousands": "424.0", "_save": "Save"},
    )

    if saved:
        assert response.status_code == 302
        assert Saving.objects.get().year == "2021/22"
    else:
        assert response.context["adminform"].form.errors["year"] == [
            f"“{year}” is not a financial year as the plans write one: the year it starts and "
            "the next, e.g. 2021/22 (April 2021 to March 2022)."
        ]
        assert not Saving.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, error",
    [
        (
            "31/12/9999",
            "“31 December 9999” is outside the dates this service answers for: enter a date "
            "between 1 January 1900 and 31 December 2999.",
        ),
        (
            "1/1/0001",
            "“1 January 0001” is outside the dates this service answers for: enter a date between "
            "1 January 1900 and 31 December 2999.",
        ),
        ("31/9/2024", "“31/9/2024” is not a real date: September 2024 has 30 days."),
        ("31.03.2024", "“31.03.2024” is not a date: write it day first, e.g. 31/03/2024."),
    ],
)
def test_a_plan_date_the_service_cannot_answer_for_is_refused_naming_it(client, typed, error):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    client.force_login(user)
    plan = PlanFactory(starts_on=date(2021, 4, 1), ends_on=date(2024, 3, 31))
    ActionFactory(theme__plan=plan)
    url = reverse("admin:themes_plan_change", args=[plan.pk])
    data = post_form(client.get(url).content.decode())
    field = "starts_on" if typed.endswith("0001") else "ends_on"

    response = client.post(url, {**data, field: typed, "_save": "Save"})

    assert response.context["adminform"].form.errors[field] == [error]
    plan.refresh_from_db()
    assert (plan.starts_on, plan.ends_on) == (date(2021, 4, 1), date(2024, 3, 31))
    assert client.get(reverse("actions:dashboard"), {"plan": plan.slug}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, saved", [("31/3/25", date(2025, 3, 31)), ("2025-03-31", date(2025, 3, 31))]
)
def test_a_plan_date_typed_day_first_or_as_iso_is_read(client, typed, saved):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    client.force_login(user)
    plan = PlanFactory(starts_on=date(2021, 4, 1), ends_on=date(2024, 3, 31))
    url = reverse("admin:themes_plan_change", args=[plan.pk])
    data = post_form(client.get(url).content.decode())

    response = client.post(url, {**data, "ends_on": typed, "_save": "Save"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.ends_on == saved
