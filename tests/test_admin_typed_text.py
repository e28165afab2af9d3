"""What a plan administrator types in the admin is kept as they typed it, as the app's own
forms keep it: line breaks stored the same way."""

import re
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from actions.models.progress import NARRATIVE_LIMIT
from cypeplan.inputs import one_line_break_each
from tests.factories import ActionFactory, PlanFactory, SubStepFactory, ThemeFactory
from tests.html_forms import post_form
from tests.test_admin_changed_meanwhile import administrator


def opened(browser, url):
    return post_form(browser.get(url).content.decode())


@pytest.mark.django_db
def test_line_breaks_typed_in_the_admin_are_stored_as_the_apps_forms_store_them():
    action = ActionFactory(description="Agree the protocol")
    step = SubStepFactory(action=action, description="Draft it")
    browser = administrator()
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = opened(browser, url)

    # A browser sends every line break in a box as CR LF.
    response = browser.post(
        url,
        {
            **form,
            "description": "Agree the protocol\r\nwith schools",
            "performance_measures": "Measure one\r\nMeasure two\rMeasure three",
            "sub_steps-0-description": "Draft it\r\nthen publish it",
        },
    )

    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert action.description == "Agree the protocol\nwith schools"
    assert action.performance_measures == "Measure one\nMeasure two\nMeasure three"
    step.refresh_from_db()
    assert step.description == "Draft it\nthen publish it"
    # The history keeps what was stored: no change of line breaks alone shows as a change.
    assert action.history.first().description == "Agree the protocol\nwith schools"


@pytest.mark.django_db
def test_line_breaks_in_a_plans_vision_are_stored_as_line_feeds():
    plan = PlanFactory(vision="")
    ThemeFactory(plan=plan, name="Safe")
    browser = administrator()
    url = reverse("admin:themes_plan_change", args=[plan.pk])
    form = opened(browser, url)

    response = browser.post(url, {**form, "vision": "Every child\r\nsafe"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.vision == "Every child\nsafe"


@pytest.mark.django_db
def test_a_box_at_its_limit_with_line_breaks_is_not_refused_as_too_long():
    # The box lets through 10,000 characters counting a line break as one; the browser
    # sends each as two.
    action = ActionFactory(theme__plan__starts_on=date(2022, 4, 1))
    browser = administrator()
    url = reverse("admin:actions_progressupdate_add")
    form = opened(browser, url)
    half = "x" * (NARRATIVE_LIMIT // 2 - 200)
    typed = half + "\r\n" * 400 + half

    response = browser.post(
        url,
        {
            **form,
            "action": action.pk,
            "reported_on": "1/10/2022",
            "status": "in_progress",
            "rag": "green",
            "working_well": typed,
        },
    )

    assert response.status_code == 302, response.content.decode()
    update = ProgressUpdate.objects.get(action=action)
    assert update.working_well == half + "\n" * 400 + half


def as_a_browser_sends_it(form):
    """The form's values with every line break as CR LF, as a browser sends a box's."""
    return {name: one_line_break_each(value).replace("\n", "\r\n") for name, value in form.items()}


@pytest.mark.django_db
def test_saving_an_action_as_found_with_windows_line_breaks_records_no_change():
    # Text from an older import, stored with CR LF.
    action = ActionFactory(
        description="Agree the protocol\r\nwith schools", performance_measures="One\r\nTwo"
    )
    step = SubStepFactory(action=action, description="Draft it\r\nthen publish it")
    browser = administrator()
    url = reverse("admin:actions_action_change", args=[action.pk])

    response = browser.post(url, as_a_browser_sends_it(opened(browser, url)))

    assert response.status_code == 302
    # No "Changed" entry in the action's history or its step's, and nothing lost.
    assert [entry.history_type for entry in action.history.all()] == ["+"]
    assert [entry.history_type for entry in step.history.all()] == ["+"]
    action.refresh_from_db()
    assert action.description == "Agree the protocol\r\nwith schools"
    assert action.performance_measures == "One\r\nTwo"
    step.refresh_from_db()
    assert step.description == "Draft it\r\nthen publish it"
    assert LogEntry.objects.get().get_change_message() == "No fields changed."


@pytest.mark.django_db
def test_a_change_beside_windows_line_breaks_is_saved_and_logged_alone():
    action = ActionFactory(description="Agree the protocol\r\nwith schools", expected_outcome="A")
    browser = administrator()
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = as_a_browser_sends_it(opened(browser, url))

    response = browser.post(url, {**form, "expected_outcome": "A signed protocol"})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.expected_outcome == "A signed protocol"
    assert action.description == "Agree the protocol\nwith schools"
    assert [entry.history_type for entry in action.history.all()] == ["~", "+"]
    logged = LogEntry.objects.get().get_change_message()
    assert logged == "Changed Expected outcome or success measure."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "admin_name", "text", "other", "other_label"),
    [
        (
            ActionFactory,
            "actions_action",
            "description",
            "expected_outcome",
            "Expected outcome or success measure",
        ),
        (PlanFactory, "themes_plan", "vision", "values", "Values"),
    ],
)
def test_the_history_page_does_not_list_text_whose_line_breaks_alone_changed(
    make, admin_name, text, other, other_label
):
    record = make(**{text: "Agree the protocol\r\nwith schools", other: "A"})
    browser = administrator()
    url = reverse(f"admin:{admin_name}_change", args=[record.pk])
    form = as_a_browser_sends_it(opened(browser, url))
    # Saved with a change beside it, the text is stored with line feeds.
    browser.post(url, {**form, other: "A signed protocol"})
    assert [getattr(entry, text) for entry in record.history.all()] == [
        "Agree the protocol\nwith schools",
        "Agree the protocol\r\nwith schools",
    ]

    page = browser.get(reverse(f"admin:{admin_name}_history", args=[record.pk]))

    changes = re.findall(r"<strong>([^<]*):</strong>", page.content.decode())
    assert changes == [other_label]
