"""A theme's page reads its counts from its row of the plan's counts by theme (the
dashboard's rag_by_theme, kept while nothing changes): they must be the theme's own counts
(ActionQuerySet.counts) for every theme of the council's real plans, at every kind of date,
and its list of actions (kept too) the theme's actions in plan order."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action
from tests.shown import shown_action_ids
from themes.models import Theme


@pytest.mark.django_db
@pytest.mark.parametrize("as_at", [date(2021, 8, 1), date(2022, 6, 30), date(2024, 3, 31)])
def test_a_themes_page_shows_the_themes_own_counts_and_actions(real_plans, member, as_at):
    seen_overdue = 0
    for theme in Theme.objects.all():
        response = member.get(reverse("actions:theme", args=[theme.pk]), {"as_at": as_at})
        in_theme = Action.objects.filter(theme=theme).in_plan_on(as_at)

        assert response.context["counts"] == in_theme.counts(as_at), theme.name
        shown = shown_action_ids(response)
        assert shown == list(in_theme.order_by("position").values_list("pk", flat=True))
        seen_overdue += response.context["counts"]["overdue"]
    assert seen_overdue  # some theme had an overdue action at one of the dates at least
