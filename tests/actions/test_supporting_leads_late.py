"""Supporting leads changed after a past as-at date: a lead's page counts the actions they
lead or support now, so as at an earlier date it says which actions they were made a
supporting lead of since, or supported on that day and no longer do.

The story: on 30 September 2022 Kerry Crichlow supported action 1.4 ("Publish the SEND
strategy", led by Iain Low) but not 1.5 ("Agree the data sharing protocol"). On 3 October
2022 the performance team takes her off 1.4 and puts her on 1.5. Her page as at 30 September
lists 1.5 and not 1.4, and now says so.
"""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from actions import roles
from actions.late_entries import About, support_changed_late
from tests.factories import ActionFactory, LeadFactory, PlanFactory, ThemeFactory, UserFactory
from tests.html_forms import post_form
from tests.imports.test_import_again import IMPROVEMENT, supporting_lead_added_in_a_file

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
def theme(plan):
    return ThemeFactory(plan=plan, name="Working in Partnership", position=1)


@pytest.fixture
def kerry(db):
    return LeadFactory(name="Kerry Crichlow", initials="KC")


@pytest.fixture
def iain(db):
    return LeadFactory(name="Iain Low", initials="IL")


@pytest.fixture
def member(db, client):
    user = UserFactory(username="councillor")
    user.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    client.force_login(user)
    return user


def planned(theme, lead, reference, description, supporting=()):
    """An action as the plan began, with its supporting leads."""
    with time_machine.travel(at(2022, 4, 1, 9), tick=False):
        action = ActionFactory(theme=theme, lead=lead, reference=reference, description=description)
        action.supporting_leads.add(*supporting)
    return action


@pytest.fixture
def strategy(theme, iain, kerry):
    return planned(theme, iain, "1.4", "Publish the SEND strategy", supporting=[kerry])


@pytest.fixture
def protocol(theme, iain):
    return planned(theme, iain, "1.5", "Agree the data sharing protocol")


def supported(when, action, *leads):
    """The action's supporting leads set to `leads` at `when`, as the admin sets them."""
    with time_machine.travel(when, tick=False):
        action.supporting_leads.set(leads)


def described(changes):
    return [(change.reference, change.added, change.at) for change in changes]


# The rule


def test_a_lead_added_and_one_removed_after_the_day_are_listed_with_when(strategy, protocol, kerry):
    supported(at(2022, 10, 3, 10), strategy)
    supported(at(2022, 10, 3, 11), protocol, kerry)

    assert described(support_changed_late(AS_AT, kerry)) == [
        ("1.4", False, at(2022, 10, 3, 10)),
        ("1.5", True, at(2022, 10, 3, 11)),
    ]


def test_a_change_before_midnight_is_not_listed_and_after_it_is(protocol, kerry):
    supported(at(2022, 9, 30, 23, 59, 59), protocol, kerry)

    assert support_changed_late(AS_AT, kerry) == []
    assert described(support_changed_late(date(2022, 9, 29), kerry)) == [
        ("1.5", True, at(2022, 9, 30, 23, 59, 59))
    ]


def test_a_supporting_lead_removed_and_added_back_is_not_listed(strategy, protocol, kerry, iain):
    supported(at(2022, 10, 3, 10), strategy)
    supported(at(2022, 10, 4, 10), strategy, kerry, iain)
    supported(at(2022, 10, 3, 10), protocol, kerry)
    supported(at(2022, 10, 5, 10), protocol)

    assert support_changed_late(AS_AT, kerry) == []


def test_added_removed_and_added_again_says_when_last_added(protocol, kerry):
    supported(at(2022, 10, 3, 10), protocol, kerry)
    supported(at(2022, 10, 4, 10), protocol)
    supported(at(2022, 10, 5, 10), protocol, kerry)

    assert described(support_changed_late(AS_AT, kerry)) == [("1.5", True, at(2022, 10, 5, 10))]


def test_other_peoples_supporting_roles_and_other_changes_are_not_listed(theme, strategy, kerry):
    someone = LeadFactory(name="Someone Else")
    supported(at(2022, 10, 3, 10), strategy, kerry, someone)
    with time_machine.travel(at(2022, 10, 4, 10), tick=False):
        strategy.description = "Publish the new SEND strategy"
        strategy.save()

    assert support_changed_late(AS_AT, kerry) == []
    assert described(support_changed_late(AS_AT, someone)) == [("1.4", True, at(2022, 10, 3, 10))]


def test_an_action_added_to_the_plan_after_the_day_is_not_listed(theme, iain, kerry):
    with time_machine.travel(at(2022, 10, 2, 9), tick=False):
        later = ActionFactory(theme=theme, lead=iain, added_on=date(2022, 10, 2))
        later.supporting_leads.add(kerry)
    supported(at(2022, 10, 3, 10), later)

    # The page as at 30 September leaves it out: Kerry did not support it on that day.
    assert support_changed_late(AS_AT, kerry) == []


def test_nothing_is_listed_as_at_today_or_on_other_pages(strategy, kerry, theme, plan):
    supported(at(2022, 11, 15, 8), strategy)

    assert support_changed_late(date(2022, 11, 15), kerry) == []
    assert described(About("lead", kerry).support_changed_late(date(2022, 11, 14))) == [
        ("1.4", False, at(2022, 11, 15, 8))
    ]
    for about in (About("theme", theme), About("plan", plan), About("action", strategy)):
        assert about.support_changed_late(date(2022, 11, 14)) == []


def test_a_change_made_in_the_admin_is_listed_with_who_made_it(client, protocol, kerry):
    admin = UserFactory(username="pat", first_name="Pat", last_name="Admin", is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    client.force_login(admin)
    url = reverse("admin:actions_action_change", args=[protocol.pk])
    with time_machine.travel(at(2022, 10, 3, 10), tick=False):
        data = post_form(client.get(url).content.decode())
        data["supporting_leads"] = [str(kerry.pk)]
        response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302

    [change] = support_changed_late(AS_AT, kerry)

    assert (change.reference, change.added, change.by) == ("1.5", True, "Pat Admin")


def test_a_change_made_by_a_plan_import_is_listed(db, tmp_path):
    with time_machine.travel(at(2022, 4, 1, 9), tick=False):
        call_command("load_plans", verbosity=0)
    action, supporter, path = supporting_lead_added_in_a_file(tmp_path)
    UserFactory(username="performance", first_name="Pat", last_name="Performance")

    with time_machine.travel(at(2022, 10, 3, 10), tick=False):
        call_command(
            "import_plan", str(path), plan=IMPROVEMENT, user="performance", stdout=io.StringIO()
        )

    [change] = support_changed_late(AS_AT, supporter)
    assert (change.action_id, change.added, change.by) == (action.pk, True, "Pat Performance")
    assert support_changed_late(date(2022, 10, 3), supporter) == []


# The pages


def test_a_leads_page_as_at_a_past_date_names_the_changes(
    client, member, strategy, protocol, kerry
):
    supported(at(2022, 10, 3, 10), strategy)
    supported(at(2023, 5, 3, 10), protocol, kerry)

    with time_machine.travel(at(2023, 6, 1, 9), tick=False):
        client.force_login(member)
        page = client.get(reverse("actions:lead", args=[kerry.pk]), {"as_at": AS_AT})
    text = page.content.decode()

    assert (
        "2 actions were given or lost Kerry Crichlow (KC) as a supporting lead after "
        "30 September 2022." in text
    )
    assert "This page shows the actions they lead or support now, not as on that day" in text
    assert (
        f'<a class="govuk-link" href="/actions/{strategy.pk}/">1.4 Publish the SEND strategy</a>: '
        "Kerry Crichlow (KC) was a supporting lead on that day, no longer (removed on "
        "3 October 2022)" in text
    )
    assert (
        f'<a class="govuk-link" href="/actions/{protocol.pk}/">1.5 Agree the data sharing '
        "protocol</a>: Kerry Crichlow (KC) was added as a supporting lead on 3 May 2023, after "
        "this date" in text
    )
    assert "See what was entered later" in text


def test_todays_page_and_another_leads_page_say_nothing_of_it(
    client, member, protocol, kerry, iain
):
    supported(at(2022, 10, 3, 10), protocol, kerry)

    today = client.get(reverse("actions:lead", args=[kerry.pk])).content.decode()
    others = client.get(reverse("actions:lead", args=[iain.pk]), {"as_at": AS_AT})
    dashboard = client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": AS_AT})

    assert "as a supporting lead" not in today
    assert "as a supporting lead" not in others.content.decode()
    assert "as a supporting lead" not in dashboard.content.decode()


def test_the_listing_names_what_the_notice_names_with_who_and_when(
    client, member, strategy, protocol, kerry
):
    admin = UserFactory(username="perf", first_name="Pat", last_name="Performance")
    protocol._history_user = admin
    supported(at(2022, 10, 3, 10), strategy)
    supported(at(2022, 10, 20, 10), protocol, kerry)

    page = client.get(reverse("actions:late_entries"), {"as_at": AS_AT, "lead": kerry.pk})
    text = page.content.decode()

    assert "2 actions given or lost Kerry Crichlow (KC) as a supporting lead later" in text
    assert "and supporting leads changed since" in text
    assert (
        "Kerry Crichlow (KC) was a supporting lead on that day, no longer (removed on "
        "3 October 2022)" in text
    )
    assert "Kerry Crichlow (KC) was added as a supporting lead on 20 October 2022" in text
    assert "Pat Performance<br>20 Oct 2022, 10:00" in text
    assert "Not recorded<br>3 Oct 2022, 10:00" in text
    assert "CYPE Directorate Plan 2022-24" in text
    plan_page = client.get(reverse("actions:late_entries"), {"as_at": AS_AT, "plan": "cype"})
    assert "as a supporting lead" not in plan_page.content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_a_leads_page_and_listing_run_the_same_queries_however_many_changed(
    client, member, theme, iain, kerry, count, django_assert_num_queries
):
    for number in range(count):
        one = planned(theme, iain, f"9.{number}", f"Action {number}", supporting=[kerry])
        supported(at(2022, 10, 20, 10) + timedelta(minutes=number), one)
        two = planned(theme, iain, f"8.{number}", f"Action {number}")
        supported(at(2022, 10, 20, 10) + timedelta(minutes=number), two, kerry)
    lead_page = reverse("actions:lead", args=[kerry.pk])

    # session, user, permissions x2, plans; the lead with division; a page of their
    # actions; their delegates (none)
    with django_assert_num_queries(8):
        client.get(lead_page)
    # and the late entries: COUNTs of updates entered, corrected, due dates confirmed,
    # timeframes changed and actions added since; the actions moved since; the actions
    # given or lost them as a supporting lead since
    with django_assert_num_queries(15):
        page = client.get(lead_page, {"as_at": AS_AT})
    assert f"{2 * count} actions were given or lost Kerry Crichlow" in page.content.decode()
    # session, user, permissions x2, plans; the lead; COUNT for the updates' paginator
    # (none); the corrected updates, confirmed due dates, timeframe changes (own, shared)
    # (none); the actions added since; moved since; given or lost them as a supporting lead
    with django_assert_num_queries(14):
        listing = client.get(reverse("actions:late_entries"), {"as_at": AS_AT, "lead": kerry.pk})
    assert f"{2 * count} actions given or lost Kerry Crichlow" in listing.content.decode()
