"""The dashboard's headline figures partition the plan (DOMAIN.md, "Counting without double
counting"): every action is in exactly one of complete or closed, overdue, at risk (not
overdue) and no concerns, so they add up to the number of actions; and "no concerns" is
never dressed as the officer's Green."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actions.models import RAG, Action, Status
from actions.models.rules import counts_from_themes
from tests.actions import test_views
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)

# Each test runs reading the kept newest updates and searching the updates (conftest).
pytestmark = pytest.mark.usefixtures("both_ways")

CYPE_PLAN, IMPROVEMENT_PLAN = test_views.CYPE_PLAN, test_views.IMPROVEMENT_PLAN

PARTS = ("complete_or_closed", "overdue", "at_risk_not_overdue", "no_concerns")
PART_RULES = ("finished", "overdue", "at_risk_not_overdue", "no_concerns")
# Before, during and after each plan's life, and on quarter ends.
DATES = [
    date(2021, 4, 1),
    date(2021, 8, 1),
    date(2021, 12, 31),
    date(2022, 9, 30),
    date(2023, 3, 31),
    date(2024, 3, 31),
    date(2025, 6, 30),
]


def card_counts(response):
    return {
        label: int(number)
        for number, label in re.findall(
            r'count-card__number">(\d+)</span> <span class="count-card__label">([^<]+)<',
            response.content.decode(),
        )
    }


@pytest.mark.parametrize("slug", [CYPE_PLAN, IMPROVEMENT_PLAN])
@pytest.mark.parametrize("as_at", DATES)
def test_each_action_is_in_exactly_one_part_of_the_partition(real_plans, slug, as_at):
    actions = Action.objects.filter(theme__plan__slug=slug)
    members = [
        set(getattr(actions, rule)(as_at).values_list("pk", flat=True)) for rule in PART_RULES
    ]
    every = set(actions.values_list("pk", flat=True))

    assert set().union(*members) == every
    assert sum(len(part) for part in members) == len(every)
    counts = actions.counts(as_at)
    assert [counts[part] for part in PARTS] == [len(part) for part in members]
    assert sum(counts[part] for part in PARTS) == counts["total"] == len(every)
    # The dashboard's one grouped query, added up over the themes, says the same.
    themes = list(actions.rag_by_theme(as_at))
    assert counts_from_themes(themes) == counts
    for theme in themes:
        in_theme = actions.filter(theme_id=theme["theme_id"]).counts(as_at)
        assert {name: theme[name] for name in in_theme} == in_theme


@pytest.mark.parametrize("slug", [CYPE_PLAN, IMPROVEMENT_PLAN])
@pytest.mark.parametrize("as_at", DATES)
def test_dashboard_figures_add_up_to_the_actions_in_the_plan(real_plans, member, slug, as_at):
    response = member.get(reverse("actions:dashboard"), {"plan": slug, "as_at": as_at})

    cards = card_counts(response)
    total = Action.objects.filter(theme__plan__slug=slug).count()
    assert list(cards) == [
        "overdue",
        "at risk (not overdue)",
        "no concerns",
        "complete or closed",
    ]
    assert sum(cards.values()) == total
    assert f"{total} actions in this plan, each counted once below" in response.content.decode()


@pytest.fixture
def theme(db):
    return ThemeFactory(plan=PlanFactory(starts_on=date(2022, 1, 1)))


def test_stale_is_counted_across_the_partition_not_in_it(theme):
    # Overdue and stale; at risk (not overdue) and stale; Green and fresh.
    overdue = ActionFactory(theme=theme, timeframe__label="June 2022")
    ProgressUpdateFactory(action=overdue, reported_on=date(2022, 2, 1), rag=RAG.GREEN)
    ActionFactory(theme=theme, timeframe__label="On going")
    fresh = ActionFactory(theme=theme, timeframe__label="June 2023")
    ProgressUpdateFactory(
        action=fresh, reported_on=date(2022, 9, 1), status=Status.IN_PROGRESS, rag=RAG.GREEN
    )

    counts = Action.objects.filter(theme=theme).counts(date(2022, 9, 30))

    assert counts["overdue"] == 1
    assert counts["at_risk_not_overdue"] == 1
    assert counts["no_concerns"] == 1
    assert counts["complete_or_closed"] == 0
    assert counts["stale"] == 2
    assert counts["at_risk"] == 2


GREEN_TAG = re.compile(r'<strong class="[^"]*govuk-tag--green[^"]*">([^<]*)</strong>')


@pytest.mark.parametrize("slug", [CYPE_PLAN, IMPROVEMENT_PLAN])
@pytest.mark.parametrize("as_at", ["2021-08-01", "2022-09-30", "2024-03-31"])
def test_no_green_tag_says_anything_but_green(real_plans, member, slug, as_at):
    """The only green tag is the officer's Green RAG; an unrated action with no concerns
    wears a grey "No concerns" tag and a grey "Not rated" one."""
    pages = [
        reverse("actions:dashboard"),
        reverse("actions:overdue"),
        reverse("actions:at_risk"),
        reverse("actions:register"),
        *(
            reverse("actions:theme", args=[pk])
            for pk in Action.objects.filter(theme__plan__slug=slug).values_list(
                "theme_id", flat=True
            )[:3]
        ),
    ]
    for page in pages:
        html = member.get(page, {"plan": slug, "as_at": as_at}).content.decode()
        assert set(GREEN_TAG.findall(html)) <= {"Green"}, page


def test_an_unrated_action_with_no_concerns_wears_no_green_tag(theme, member):
    action = ActionFactory(theme=theme, timeframe__label="On going")
    ProgressUpdateFactory(
        action=action, reported_on=date(2022, 9, 1), status=Status.IN_PROGRESS, rag=""
    )
    as_at = date(2022, 9, 2)
    assert Action.objects.no_concerns(as_at).filter(pk=action.pk).exists()

    for page in [reverse("actions:detail", args=[action.pk]), reverse("actions:register")]:
        html = member.get(page, {"as_at": as_at}).content.decode()
        assert "govuk-tag--green" not in html, page
        assert re.search(r'govuk-tag--grey">\s*No concerns', html), page
        assert "Not rated" in html, page


def test_at_risk_list_puts_the_longest_overdue_first_then_at_risk_by_reason(theme, member):
    lead = LeadFactory(name="One Lead")

    def action(label, rag, text):
        made = ActionFactory(theme=theme, lead=lead, timeframe__label=label, description=text)
        ProgressUpdateFactory(
            action=made, reported_on=date(2022, 9, 1), status=Status.IN_PROGRESS, rag=rag
        )

    action("On going", RAG.AMBER, "Amber with no due date")
    action("August 2022", RAG.AMBER, "Overdue by 30 days")
    action("December 2022", RAG.RED, "Red, due in December")
    action("July 2022", RAG.RED, "Overdue by 61 days")
    action("November 2022", RAG.AMBER, "Amber, due in November")

    response = member.get(
        reverse("actions:at_risk"), {"plan": theme.plan.slug, "as_at": "2022-09-30"}
    )

    html = response.content.decode()
    shown = re.findall(r">((?:Amber|Overdue|Red)[^<]*)</a>", html)
    assert shown == [
        "Overdue by 61 days",
        "Overdue by 30 days",
        "Red, due in December",
        "Amber, due in November",
        "Amber with no due date",
    ]
    assert test_views.page_text(response).count("Overdue; Red") == 1
    assert test_views.page_text(response).count("Overdue; Amber") == 1


@pytest.mark.django_db
def test_rag_by_theme_counts_by_theme_id_and_names_each_theme_after_counting():
    # Grouping every action by its theme's name and position sorted every action's row by
    # text (3 ms of PostgreSQL's 18 at 10,000 actions) to make a handful of groups.
    plan = PlanFactory()
    themes = [ThemeFactory(plan=plan, name=name, position=n) for n, name in enumerate("BA")]
    for theme in themes:
        ActionFactory(theme=theme)
    rows = Action.objects.filter(theme__plan=plan).rag_by_theme(date(2025, 1, 1))

    counted = {cte.name: cte for cte in rows.query._with_ctes}["theme_counts"].query

    assert [ref.refs for ref in counted.group_by] == ["theme_id"]
    assert rows.query.group_by is None
    assert [(row["theme__name"], row["theme__position"], row["total"]) for row in rows] == [
        ("B", 0, 1),
        ("A", 1, 1),
    ]
