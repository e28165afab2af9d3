"""Correcting one action's timeframe never moves another: a timeframe is shared by every
action and sub-step worded the same way, so the action's page changes only the action,
and the timeframe's page lists what it times and asks before moving more than one."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action, SubStep, Timeframe
from tests.factories import ActionFactory, SubStepFactory, TimeframeFactory, UserFactory
from tests.html_forms import post_form


@pytest.fixture
def administrator(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def december():
    timeframe = TimeframeFactory(label="December 2022")
    first = ActionFactory(timeframe=timeframe, description="Refresh the SEND strategy")
    second = ActionFactory(timeframe=timeframe, description="Launch the Family Hub")
    return timeframe, first, second


def due_on(action):
    return Action.objects.select_related("timeframe").get(pk=action.pk).timeframe.due_on


def test_correcting_one_actions_timeframe_leaves_the_other_as_it_was(administrator, december):
    _, first, second = december
    url = reverse("admin:actions_action_change", args=[first.pk])
    data = post_form(administrator.get(url).content.decode())
    assert data["timeframe_label"] == "December 2022"

    data["timeframe_label"] = "January 2023"
    response = administrator.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    assert due_on(first) == date(2023, 1, 31)
    assert due_on(second) == date(2022, 12, 31)
    assert Timeframe.objects.get(label="December 2022").due_on == date(2022, 12, 31)


def test_a_sub_steps_timeframe_is_corrected_on_its_own_row(administrator, december):
    timeframe, first, _ = december
    step = SubStepFactory(action=first, position=1, timeframe=timeframe)
    url = reverse("admin:actions_action_change", args=[first.pk])
    data = post_form(administrator.get(url).content.decode())

    data["sub_steps-0-timeframe_label"] = "30/11/22"
    administrator.post(url, {**data, "_save": "Save"})

    step.refresh_from_db()
    assert step.timeframe.label == "30/11/22"
    assert step.timeframe.due_on == date(2022, 11, 30)
    assert due_on(first) == date(2022, 12, 31)


def test_words_that_are_not_a_timeframe_are_refused_on_the_actions_page(administrator, december):
    _, first, _ = december
    url = reverse("admin:actions_action_change", args=[first.pk])
    data = post_form(administrator.get(url).content.decode())

    data["timeframe_label"] = "March 0000"
    response = administrator.post(url, {**data, "_save": "Save"})

    assert response.status_code == 200
    assert "Timeframe “March 0000” has the year 0000" in response.content.decode()
    assert due_on(first) == date(2022, 12, 31)


def test_the_timeframes_page_lists_what_it_times(administrator, december):
    timeframe, first, second = december
    SubStepFactory(action=first, position=1, timeframe=timeframe, description="Consult parents")

    page = administrator.get(reverse("admin:actions_timeframe_change", args=[timeframe.pk]))

    text = page.content.decode()
    assert "3 in all." in text
    for words in ("Refresh the SEND strategy", "Launch the Family Hub", "Consult parents"):
        assert words in text


def test_changing_a_shared_timeframe_asks_first_and_names_how_many_move(administrator, december):
    timeframe, first, second = december
    url = reverse("admin:actions_timeframe_change", args=[timeframe.pk])
    data = post_form(administrator.get(url).content.decode())
    data["label"] = "January 2023"

    refused = administrator.post(url, {**data, "_save": "Save"})

    assert refused.status_code == 200
    assert "is the timeframe of 2 actions and 0 sub-steps" in refused.content.decode()
    assert due_on(first) == due_on(second) == date(2022, 12, 31)

    confirmed = administrator.post(url, {**data, "move_all": "on", "_save": "Save"})

    assert confirmed.status_code == 302
    assert due_on(first) == due_on(second) == date(2023, 1, 31)


def test_a_timeframe_used_once_changes_without_asking(administrator):
    action = ActionFactory(timeframe=TimeframeFactory(label="June 2023"))
    url = reverse("admin:actions_timeframe_change", args=[action.timeframe_id])
    data = post_form(administrator.get(url).content.decode())
    data["label"] = "July 2023"

    response = administrator.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    assert due_on(action) == date(2023, 7, 31)


def test_a_sub_step_page_takes_its_timeframe_as_words(administrator, december):
    timeframe, first, _ = december
    step = SubStepFactory(action=first, position=1, timeframe=timeframe)
    url = reverse("admin:actions_substep_change", args=[step.pk])
    data = post_form(administrator.get(url).content.decode())

    data["timeframe_label"] = ""
    administrator.post(url, {**data, "_save": "Save"})

    assert SubStep.objects.get(pk=step.pk).timeframe is None
    assert due_on(first) == date(2022, 12, 31)
