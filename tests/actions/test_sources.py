"""The recommendation or source an action answers: a value the register filters on and the
exception lists group by, so members can ask how the Ofsted recommendations are going."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, ThemeFactory, TimeframeFactory

ILACS = "Ofsted ILACS recommendation"
FOCUSED_VISIT = "Ofsted Focused Visit area for improvement"


@pytest.fixture
def actions(db):
    theme = ThemeFactory(plan__slug="plan")
    overdue = TimeframeFactory(label="31/03/22")
    return {
        "ilacs": ActionFactory(theme=theme, answers=ILACS, description="Plans", timeframe=overdue),
        "visit": ActionFactory(
            theme=theme, answers=FOCUSED_VISIT, description="Supervision", timeframe=overdue
        ),
        "none": ActionFactory(theme=theme, answers="", description="Other", timeframe=overdue),
    }


def test_register_filters_by_the_source_it_answers(client, actions, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss"))

    html = client.get(reverse("actions:register"), {"answers": ILACS}).content.decode()

    assert "Plans" in html
    assert "Supervision" not in html
    assert "Other" not in html
    assert f'<option value="{FOCUSED_VISIT}">{FOCUSED_VISIT}</option>' in html


def test_overdue_list_groups_by_the_source_it_answers(client, actions, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss"))

    html = client.get(
        reverse("actions:overdue"), {"plan": "plan", "by": "source", "as_at": date(2023, 1, 1)}
    ).content.decode()

    headings = [
        html.index(ILACS),
        html.index(FOCUSED_VISIT),
        html.index("Not tagged with a recommendation or source"),
    ]
    # Alphabetical, with the untagged last.
    assert headings[1] < headings[0] < headings[2]
