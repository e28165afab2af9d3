"""The as-at control: three boxes, quarter ends one click away, a banner for a past date, an
ended plan opening at its end, and every bad date a message rather than an error page."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action
from tests.actions import test_views

CYPE_PLAN, IMPROVEMENT_PLAN = test_views.CYPE_PLAN, test_views.IMPROVEMENT_PLAN
page_text = test_views.page_text

# The directorate plan runs from April 2022 to 31 March 2024.
AFTER_THE_PLAN = date(2025, 2, 10)
DURING_THE_PLAN = date(2023, 1, 10)


def title(response):
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1].split())


def pages(plan_slug="", *, with_plan=True):
    action = Action.objects.filter(theme__plan__slug=plan_slug or CYPE_PLAN).first()
    plan = {"plan": plan_slug} if plan_slug and with_plan else {}
    return [
        (reverse("actions:dashboard"), plan),
        (reverse("actions:overdue"), plan),
        (reverse("actions:at_risk"), plan),
        (reverse("actions:register"), {}),
        (reverse("actions:theme", args=[action.theme_id]), {}),
        (reverse("actions:detail", args=[action.pk]), {}),
        (reverse("actions:lead", args=[action.lead_id]), {}),
    ]


def test_the_three_boxes_choose_the_date(real_plans, member):
    response = member.get(
        reverse("actions:dashboard"),
        {"plan": IMPROVEMENT_PLAN, "as_at_day": "1", "as_at_month": "8", "as_at_year": "2021"},
    )

    assert "Position as at 1 August 2021" in page_text(response)
    assert "7 overdue" in page_text(response)
    html = response.content.decode()
    assert 'name="as_at_day" type="text" inputmode="numeric" value="1"' in html
    assert 'name="as_at_month" type="text" inputmode="numeric" value="8"' in html
    assert 'name="as_at_year" type="text" inputmode="numeric" value="2021"' in html


def test_links_with_as_at_keep_working(real_plans, member):
    response = member.get(
        reverse("actions:dashboard"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    )

    assert "Position as at 1 August 2021" in page_text(response)
    assert "7 overdue" in page_text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"as_at": "0001-01-01"}, "“0001-01-01” is outside the dates this service answers for"),
        ({"as_at": "9999-12-31"}, "“9999-12-31” is outside the dates this service answers for"),
        ({"as_at": "2021-09-31"}, "“2021-09-31” is not a real date."),
        ({"as_at": "31/03/2023"}, "“31/03/2023” is not a date in the form YYYY-MM-DD"),
        (
            {"as_at_day": "31", "as_at_month": "12", "as_at_year": "9999"},
            "“31/12/9999” is outside the dates this service answers for",
        ),
        (
            {"as_at_day": "1", "as_at_month": "1", "as_at_year": "0001"},
            "“1/1/0001” is outside the dates this service answers for",
        ),
        (
            {"as_at_day": "31", "as_at_month": "2", "as_at_year": "2023"},
            "“31/2/2023” is not a real date.",
        ),
        (
            {"as_at_day": "", "as_at_month": "2", "as_at_year": "2023"},
            "The as-at date must include a day.",
        ),
        (
            {"as_at_day": "", "as_at_month": "", "as_at_year": "2023"},
            "The as-at date must include a day and a month.",
        ),
        (
            {"as_at_day": "x", "as_at_month": "2", "as_at_year": "2023"},
            "Enter the as-at date as numbers, for example 31 3 2023.",
        ),
        (
            {"as_at_day": "1", "as_at_month": "2", "as_at_year": "23"},
            "Enter the year of the as-at date with 4 numbers, for example 2023.",
        ),
    ],
)
def test_a_bad_as_at_date_is_a_message_on_every_page(real_plans, member, query, message):
    with time_machine.travel(DURING_THE_PLAN, tick=False):
        for path, plan in pages(CYPE_PLAN):
            response = member.get(path, {**plan, **query})

            assert response.status_code == 200, path
            text = page_text(response)
            assert message in text, path
            assert "Showing the position as at 10 January 2023 instead." in text, path
            assert title(response).startswith("Error: "), path


def test_an_ended_plan_opens_at_its_last_quarter_end_with_a_notice(real_plans, member):
    with time_machine.travel(AFTER_THE_PLAN, tick=False):
        for path, plan in pages(CYPE_PLAN)[:3] + pages(CYPE_PLAN)[4:5]:
            response = member.get(path, plan)

            text = page_text(response)
            assert "This plan has ended" in text, path
            assert "ended on 31 March 2024, so its pages open at its last quarter end" in text
            assert "as at 31 March 2024" in title(response), path
            assert "Show today’s position (10 February 2025)" in text, path
            assert "as_at=2025-02-10" in response.content.decode(), path


def test_an_ended_plan_at_today_keeps_today_on_its_links(real_plans, member):
    with time_machine.travel(AFTER_THE_PLAN, tick=False):
        response = member.get(reverse("actions:dashboard"), {"plan": CYPE_PLAN, "as_at": ""})
        assert "as at 31 March 2024" in title(response)
        response = member.get(
            reverse("actions:dashboard"), {"plan": CYPE_PLAN, "as_at": "2025-02-10"}
        )

    assert "as at 10 February 2025" in title(response)
    assert "This plan has ended" not in page_text(response)
    assert f'href="/overdue/?plan={CYPE_PLAN}&amp;as_at=2025-02-10"' in response.content.decode()


def test_a_running_plan_and_an_action_page_open_at_today(real_plans, member):
    with time_machine.travel(DURING_THE_PLAN, tick=False):
        response = member.get(reverse("actions:dashboard"), {"plan": CYPE_PLAN})
    assert "as at 10 January 2023" in title(response)
    assert "govuk-notification-banner" not in response.content.decode()

    action = Action.objects.filter(theme__plan__slug=CYPE_PLAN).first()
    with time_machine.travel(AFTER_THE_PLAN, tick=False):
        response = member.get(reverse("actions:detail", args=[action.pk]))
    assert "as at 10 February 2025" in title(response)


def test_the_quarter_ends_of_the_plan_are_one_click_away(real_plans, member):
    with time_machine.travel(AFTER_THE_PLAN, tick=False):
        response = member.get(reverse("actions:overdue"), {"plan": CYPE_PLAN, "by": "theme"})

    html = response.content.decode()
    links = re.findall(
        r'<a class="govuk-link" href="\?plan=cype-directorate-plan-2022-24&amp;by=theme&amp;'
        r'as_at=(\d{4}-\d{2}-\d{2})"[^>]*>([^<]+)<span class="govuk-visually-hidden">, end of '
        r"([^<]+)</span>",
        html,
    )
    assert [as_at for as_at, _, _ in links] == [
        "2024-03-31",
        "2023-12-31",
        "2023-09-30",
        "2023-06-30",
        "2023-03-31",
        "2022-12-31",
        "2022-09-30",
        "2022-06-30",
    ]
    assert links[6][1:] == ("30 September 2022", "Quarter 2 2022/23 (July to September 2022)")
    # The one showing is marked.
    assert re.search(r'as_at=2024-03-31" aria-current="true"', html)


def test_quarter_ends_stop_at_today_for_a_running_plan(real_plans, member):
    with time_machine.travel(DURING_THE_PLAN, tick=False):
        response = member.get(reverse("actions:dashboard"), {"plan": CYPE_PLAN})

    assert re.findall(
        r"as_at=(\d{4}-\d{2}-\d{2})\"[^>]*>[^<]+<span", response.content.decode()
    ) == [
        "2022-12-31",
        "2022-09-30",
        "2022-06-30",
    ]


def test_a_past_date_shows_a_banner_with_a_way_back_to_today(real_plans, member):
    with time_machine.travel(DURING_THE_PLAN, tick=False):
        response = member.get(
            reverse("actions:overdue"), {"plan": CYPE_PLAN, "as_at": "2022-09-30", "by": "theme"}
        )

    text = page_text(response)
    assert "A past date" in text
    assert "You are looking at the position as at 30 September 2022, not today" in text
    assert f'href="?plan={CYPE_PLAN}&amp;by=theme">Show today’s position' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "actions:dashboard",
            "Dashboard – Children, Young People and Education (CYPE) Directorate",
        ),
        ("actions:overdue", "Overdue actions by lead – Children, Young People and Education"),
        ("actions:at_risk", "Actions at risk by lead – Children, Young People and Education"),
        ("actions:register", "Action register"),
    ],
)
def test_page_titles_name_the_page_the_plan_and_the_date(real_plans, member, name, words):
    response = member.get(reverse(name), {"plan": CYPE_PLAN, "as_at": "2022-09-30"})

    assert title(response).startswith(words)
    assert title(response).endswith("as at 30 September 2022 – CYPE plan tracker")


def test_no_form_has_an_empty_action(real_plans, member):
    for path, plan in pages(CYPE_PLAN):
        html = member.get(path, plan).content.decode()
        assert 'action=""' not in html, path
        assert f'<form method="get" action="{path}"' in html, path
