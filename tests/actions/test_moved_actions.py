"""Actions given another lead or theme after a past as-at date: every page shows an action
under its lead and theme now, so a page as at an earlier date says which ones have moved,
and where they were on that day.

The story: action 1.4 was Kerry Crichlow's, in "Working in Partnership", on 30 September
2022. On 20 October 2022 the performance team gives it to Iain Low and, a week later, moves
it to "Improving Outcomes". The overdue list by lead as at 30 September shows it under Iain
Low, and now says so.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from actions.late_entries import About, moved_late
from tests.factories import ActionFactory, LeadFactory, PlanFactory, ThemeFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
AS_AT = date(2022, 9, 30)


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(at(2022, 11, 15, 9), tick=False):
        yield


@pytest.fixture
def plan(db):
    return PlanFactory(
        name="CYPE Directorate Plan 2022-24", slug="cype", starts_on=date(2022, 4, 1)
    )


@pytest.fixture
def partnership(plan):
    return ThemeFactory(plan=plan, name="Working in Partnership", position=1)


@pytest.fixture
def outcomes(plan):
    return ThemeFactory(plan=plan, name="Improving Outcomes", position=2)


@pytest.fixture
def kerry(db):
    return LeadFactory(name="Kerry Crichlow", initials="KC")


@pytest.fixture
def iain(db):
    return LeadFactory(name="Iain Low", initials="IL")


@pytest.fixture
def action(partnership, kerry):
    with time_machine.travel(at(2022, 4, 1, 9), tick=False):
        return ActionFactory(
            theme=partnership,
            lead=kerry,
            reference="1.4",
            description="Publish the SEND strategy",
            timeframe__label="June 2022",
        )


def edited(when, action, **fields):
    with time_machine.travel(when, tick=False):
        for name, value in fields.items():
            setattr(action, name, value)
        action.save()


@pytest.fixture
def member(db, client):
    user = UserFactory(username="councillor")
    user.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    client.force_login(user)
    return user


# The rule


def test_a_move_after_the_day_is_listed_with_where_it_was_then(action, iain, outcomes):
    edited(at(2022, 10, 20, 10), action, lead=iain)
    edited(at(2022, 10, 27, 10), action, theme=outcomes)

    [move] = moved_late(AS_AT)

    assert (move.reference, move.lead_then, move.lead_now) == (
        "1.4",
        "Kerry Crichlow (KC)",
        "Iain Low (IL)",
    )
    assert (move.theme_then, move.theme_now) == ("Working in Partnership", "Improving Outcomes")


def test_a_move_before_midnight_is_not_listed_and_after_it_is(action, iain):
    edited(at(2022, 9, 30, 23, 59, 59), action, lead=iain)

    assert moved_late(AS_AT) == []
    assert [move.lead_then for move in moved_late(date(2022, 9, 29))] == ["Kerry Crichlow (KC)"]


def test_an_action_moved_and_moved_back_is_not_listed(action, kerry, iain):
    edited(at(2022, 10, 20, 10), action, lead=iain)
    edited(at(2022, 10, 21, 10), action, lead=kerry)

    assert moved_late(AS_AT) == []


def test_other_changes_are_no_move(action):
    edited(at(2022, 10, 20, 10), action, description="Publish the new SEND strategy")

    assert moved_late(AS_AT) == []


def test_nothing_is_moved_late_as_at_today(action, iain):
    edited(at(2022, 11, 15, 8), action, lead=iain)

    assert moved_late(date(2022, 11, 15)) == []


def test_a_leads_page_lists_the_actions_moved_away_from_them(action, kerry, iain):
    edited(at(2022, 10, 20, 10), action, lead=iain)

    assert [move.reference for move in About("lead", kerry).moved_late(AS_AT)] == ["1.4"]
    assert [move.reference for move in About("lead", iain).moved_late(AS_AT)] == ["1.4"]
    assert About("lead", LeadFactory(name="Someone Else")).moved_late(AS_AT) == []


def test_a_themes_page_lists_the_actions_moved_away_from_it(action, partnership, outcomes):
    edited(at(2022, 10, 20, 10), action, theme=outcomes)

    [move] = About("theme", partnership).moved_late(AS_AT)
    assert (move.theme_then, move.theme_now) == ("Working in Partnership", "Improving Outcomes")
    assert [move.reference for move in About("theme", outcomes).moved_late(AS_AT)] == ["1.4"]


# The pages


def test_the_overdue_list_by_lead_as_at_a_past_date_names_the_moved_action(
    client, member, action, iain
):
    edited(at(2022, 10, 20, 10), action, lead=iain)

    page = client.get(reverse("actions:overdue"), {"plan": "cype", "as_at": AS_AT, "by": "lead"})
    text = page.content.decode()

    assert "1 action was given another lead or theme after 30 September 2022." in text
    assert "This page shows it under its lead and theme now" in text
    assert "led by Kerry Crichlow (KC) on that day, now by Iain Low (IL)" in text


def test_the_dashboard_as_at_a_past_date_names_an_action_moved_to_another_theme(
    client, member, action, outcomes
):
    edited(at(2022, 10, 20, 10), action, theme=outcomes)

    text = client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": AS_AT}).content
    text = text.decode()

    assert "in the theme “Working in Partnership” on that day, now in “Improving Outcomes”" in text
    assert "led by" not in text


def test_todays_position_says_nothing_of_moves(client, member, action, iain):
    edited(at(2022, 10, 20, 10), action, lead=iain)

    page = client.get(reverse("actions:overdue"), {"plan": "cype", "by": "lead"})

    assert "given another lead or theme" not in page.content.decode()


def test_the_late_entries_listing_names_the_moved_action_with_who_moved_it_and_when(
    client, member, action, kerry, iain
):
    admin = UserFactory(username="perf", first_name="Pat", last_name="Performance")
    action._history_user = admin
    edited(at(2022, 10, 20, 10), action, lead=iain)

    notice = client.get(reverse("actions:lead", args=[kerry.pk]), {"as_at": AS_AT})
    assert "See what was entered later" in notice.content.decode()
    page = client.get(reverse("actions:late_entries"), {"as_at": AS_AT, "lead": kerry.pk})
    text = page.content.decode()

    assert "1 action given another lead or theme later" in text
    assert "1.4 Publish the SEND strategy" in text
    assert "led by Kerry Crichlow (KC) on that day, now by Iain Low (IL)" in text
    assert "Pat Performance<br>20 Oct 2022, 10:00" in text
    assert "CYPE Directorate Plan 2022-24" in text  # a lead's actions span plans


@pytest.mark.parametrize("count", [3, 40])
def test_the_listing_runs_the_same_queries_however_many_actions_were_added_or_moved(
    client, member, partnership, kerry, iain, count, django_assert_num_queries
):
    for number in range(count):
        with time_machine.travel(at(2022, 4, 1, 9), tick=False):
            one = ActionFactory(theme=partnership, lead=kerry, reference=f"9.{number}")
        edited(at(2022, 10, 20, 10) + timedelta(minutes=number), one, lead=iain)
        ActionFactory(theme=partnership, added_on=date(2022, 10, 20))

    # session, user, permissions x2, plans (Scope); COUNT for the updates' paginator (none);
    # the confirmed due dates, corrected updates and timeframe changes (own, shared) (none);
    # the actions added since, with who added them; the actions moved since
    with django_assert_num_queries(12):
        page = client.get(
            reverse("actions:late_entries"), {"plan": "cype", "as_at": AS_AT.isoformat()}
        )

    text = page.content.decode()
    assert f"{count} actions added to the plan later" in text
    assert f"{count} actions given another lead or theme later" in text
