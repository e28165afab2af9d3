"""make bench's own parts: the floor page, and the hand-written reference queries, which
must give the app's answers (the benchmark stops when they don't)."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from actions.demo import demo_plan_generate
from actions.management.benchmark import (
    FLOOR,
    app_dashboard_queries,
    check_against_references,
    demo_sample,
    demo_visitors,
    page_url,
)
from actions.management.benchmark_references import dashboard_reference, download_reference

AS_AT = date(2025, 9, 30)


@pytest.fixture
def plan(db):
    return demo_plan_generate(actions=60, updates_per_action=4, as_at=AS_AT)


@pytest.mark.parametrize("days_before", [0, 40, 200, 400])
def test_the_hand_written_queries_give_the_apps_answers(plan, days_before):
    as_at = AS_AT - timedelta(days=days_before)

    check_against_references(plan, as_at)

    counts, themes = app_dashboard_queries(plan, as_at)
    totals, by_theme = dashboard_reference(plan, as_at)
    assert totals["total"] == counts["total"] == 60
    assert (
        sum(
            totals[part]
            for part in ("complete_or_closed", "overdue", "at_risk_not_overdue", "no_concerns")
        )
        == 60
    )
    assert len(by_theme) == len(themes)
    assert download_reference(plan, as_at) == 60


@override_settings(ROOT_URLCONF="cypeplan.benchmark")
def test_the_floor_page_is_a_signed_in_reader_page(plan, client, django_assert_num_queries):
    sample = demo_sample(plan)
    url = page_url(FLOOR, plan=plan, sample=sample, as_at=AS_AT)
    assert client.get(url).status_code == 302  # signed out: to the sign-in page

    client.force_login(demo_visitors(sample)["member"])
    # session, user, the user's permissions, their groups' permissions
    with django_assert_num_queries(4):
        response = client.get(url)

    assert response.status_code == 200
    assert b"benchmark-member" in response.content
