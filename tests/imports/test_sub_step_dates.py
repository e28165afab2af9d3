"""A sub-step's date to be confirmed is listed on the data-quality page, and a plan
administrator (no one else) confirms it there, as an action's."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from actions.models import DateConfirmation, Timeframe
from tests.factories import ActionFactory, PlanFactory, SubStepFactory, ThemeFactory, UserFactory

CONFIRMED = {
    "confirmed_on_day": "30",
    "confirmed_on_month": "6",
    "confirmed_on_year": "2021",
    "reason": "Confirmed with the Head of Early Help: the plan meant the end of June.",
}


@pytest.fixture
def step(db):
    timeframe = Timeframe(label="31/06/21", to_be_confirmed=True)
    timeframe.save()
    action = ActionFactory(
        theme=ThemeFactory(plan=PlanFactory(starts_on=date(2021, 4, 1))), reference="1.1"
    )
    return SubStepFactory(action=action, description="Audit the front door", timeframe=timeframe)


def test_the_back_link_returns_to_the_list_the_date_is_in(client, step, administrator):
    timeframe = Timeframe(label="31/09/21", to_be_confirmed=True)
    timeframe.save()
    action = ActionFactory(theme=step.action.theme, reference="1.2", timeframe=timeframe)
    client.force_login(administrator)
    data_quality = reverse("imports:data_quality")

    for url, back in [
        (reverse("imports:confirm_step_date", args=[step.pk]), "#steps-to-confirm"),
        (reverse("imports:confirm_date", args=[action.pk]), "#to-confirm"),
    ]:
        html = client.get(url).content.decode()
        assert (
            f'<nav aria-label="Back"><a href="{data_quality}{back}" class="govuk-back-link">'
            "Back to data quality</a></nav>"
        ) in html


def test_data_quality_lists_a_sub_steps_date_and_an_administrator_confirms_it(
    client, step, administrator
):
    client.force_login(administrator)
    url = reverse("imports:confirm_step_date", args=[step.pk])

    html = client.get(reverse("imports:data_quality")).content.decode()

    assert "Sub-steps’ dates to be confirmed (1)" in html
    assert "Audit the front door" in html
    assert "June 2021 has 30 days" in html
    assert url in html
    page = client.get(url)
    assert page.status_code == 200
    assert "Sub-step: Audit the front door" in page.content.decode()
    assert "31/06/21" in page.content.decode()

    done = client.post(url, CONFIRMED)

    assert done.status_code == 302
    assert done["Location"] == reverse("imports:data_quality") + "#steps-to-confirm"
    confirmation = DateConfirmation.objects.get()
    assert (
        confirmation.action,
        confirmation.sub_step,
        confirmation.confirmed_on,
        confirmation.timeframe_label,
        confirmation.entered_by,
    ) == (step.action, step, date(2021, 6, 30), "31/06/21", administrator)
    after = client.get(reverse("imports:data_quality")).content.decode()
    assert "Sub-steps’ dates to be confirmed (0)" in after
    # The action's own date is not the sub-step's: it has nothing confirmed.
    assert step.action.original_due_on() == step.action.timeframe.due_on


def test_a_sub_steps_date_that_reads_as_written_has_nothing_to_confirm(client, administrator):
    step = SubStepFactory(timeframe=Timeframe.objects.create(label="30/06/21"))
    client.force_login(administrator)

    response = client.post(reverse("imports:confirm_step_date", args=[step.pk]), CONFIRMED)

    assert response.status_code == 302
    assert not DateConfirmation.objects.exists()


@pytest.mark.parametrize("group", [None, roles.OFFICERS, roles.SCRUTINY_MEMBERS])
def test_only_plan_administrators_may_confirm_a_sub_steps_date(client, step, group):
    user = UserFactory(username="someone")
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    url = reverse("imports:confirm_step_date", args=[step.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, CONFIRMED).status_code == 403
    assert client.get(reverse("imports:data_quality")).status_code == 403
    assert not DateConfirmation.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, step):
    response = client.post(reverse("imports:confirm_step_date", args=[step.pk]), CONFIRMED)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not DateConfirmation.objects.exists()
