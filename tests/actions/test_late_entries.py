"""Updates entered after a past date that report on or before it: the rule, the notice on
live pages answering for that date, and the page listing them.

The story: on 20 October 2022 an officer enters an update reporting on 30 September 2022
(issue 7: the directorate plan's position as at 1 October went from 9 overdue to 8).
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from actions import roles
from actions.late_entries import (
    correction_words,
    timeframe_changes_late,
    timeframe_changes_late_count,
)
from actions.models import Action, DateConfirmation, ProgressUpdate, Status, Timeframe
from actions.models.rules import end_of_day
from actions.services import date_confirmation_record
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    SubStepFactory,
    ThemeFactory,
    UserFactory,
)
from tests.html_forms import post_form

LONDON = ZoneInfo("Europe/London")
AS_AT = date(2022, 9, 30)


def at(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(at(2022, 11, 15, 9), tick=False):
        yield


def entered(when, action, reported_on, **fields):
    with time_machine.travel(when, tick=False):
        return ProgressUpdateFactory(action=action, reported_on=reported_on, **fields)


@pytest.fixture
def plan(db):
    return PlanFactory(
        name="CYPE Directorate Plan 2022-24", slug="cype", starts_on=date(2022, 4, 1)
    )


@pytest.fixture
def action(plan):
    return ActionFactory(
        theme=ThemeFactory(plan=plan),
        reference="1.4",
        description="Publish the SEND strategy",
        timeframe__label="September 2022",
    )


@pytest.fixture
def officer(db):
    user = UserFactory(username="kerry", first_name="Kerry", last_name="Crichlow")
    user.groups.add(Group.objects.get(name=roles.OFFICERS))
    return user


# The rule


def test_an_update_entered_before_midnight_is_on_time_and_after_it_is_late(action):
    on_time = entered(at(2022, 9, 30, 23, 59, 59), action, AS_AT)
    late = entered(at(2022, 10, 1, 0, 0, 1), action, date(2022, 9, 29))
    entered(at(2022, 10, 20), action, date(2022, 10, 1))  # reports after the date: not late

    assert list(ProgressUpdate.objects.entered_late(AS_AT)) == [late]
    assert on_time not in ProgressUpdate.objects.entered_late(AS_AT)
    assert end_of_day(AS_AT) == at(2022, 10, 1)


def test_late_entries_are_of_the_plan_asked_for(plan, action):
    other = ActionFactory()
    mine = entered(at(2022, 10, 20), action, AS_AT)
    theirs = entered(at(2022, 10, 20), other, AS_AT)

    assert list(ProgressUpdate.objects.entered_late(AS_AT, plan)) == [mine]
    assert set(ProgressUpdate.objects.entered_late(AS_AT)) == {mine, theirs}


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's follows statistics"
)
def test_sqlite_finds_a_plans_late_entries_from_the_updates_entered_since(plan, action):
    """SQLite keeps no statistics, so its plan is the same at any size: it must start from
    the updates entered since the day (update_entered_late), not read every update of each
    of the plan's actions, which took 22 ms at 10,000 actions on every past-date page."""
    mine = entered(at(2022, 10, 20), action, AS_AT)
    entered(at(2022, 9, 1), action, date(2022, 9, 1))
    late = ProgressUpdate.objects.entered_late(AS_AT, plan)
    sql, params = late.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [step[-1] for step in cursor.fetchall()]

    assert list(late) == [mine]
    assert any("update_entered_late" in step for step in steps), steps
    assert not any("update_latest_as_at" in step for step in steps), steps


def test_a_late_entry_is_what_separates_the_position_now_from_that_days(action):
    entered(at(2022, 10, 20), action, AS_AT, status=Status.COMPLETE, rag="", evidence="Done")
    then = Action.objects.with_state(AS_AT, end_of_day(AS_AT)).get()
    now = Action.objects.with_state(AS_AT).get()

    assert (then.latest_status, now.latest_status) == (Status.NOT_STARTED, Status.COMPLETE)
    assert ProgressUpdate.objects.entered_late(AS_AT).count() == 1


# The notice on live pages


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def notice(within):
    return f"1 update reporting on or before 30 September 2022 was entered after that day {within}."


@pytest.mark.parametrize(
    "page, within, link",
    [
        (
            lambda a: reverse("actions:dashboard") + "?plan=cype&as_at=2022-09-30",
            "in this plan",
            lambda a: "plan=cype",
        ),
        (
            lambda a: reverse("actions:overdue") + "?plan=cype&as_at=2022-09-30",
            "in this plan",
            lambda a: "plan=cype",
        ),
        (
            lambda a: reverse("actions:register") + "?plan=cype&as_at=2022-09-30",
            "in this plan",
            lambda a: "plan=cype",
        ),
        (
            lambda a: reverse("actions:detail", args=[a.pk]) + "?as_at=2022-09-30",
            "on this action",
            lambda a: f"action={a.pk}",
        ),
        (
            lambda a: reverse("actions:theme", args=[a.theme_id]) + "?as_at=2022-09-30",
            "in this theme",
            lambda a: f"theme={a.theme_id}",
        ),
        (
            lambda a: reverse("actions:lead", args=[a.lead_id]) + "?as_at=2022-09-30",
            "on these actions",
            lambda a: f"lead={a.lead_id}",
        ),
    ],
    ids=["dashboard", "overdue", "register", "action", "theme", "lead"],
)
def test_pages_for_a_past_date_say_how_many_updates_entered_later_changed_it(
    client, officer, action, page, within, link
):
    entered(at(2022, 10, 20, 14, 5), action, AS_AT, entered_by=officer)
    client.force_login(officer)

    response = client.get(page(action))

    assert notice(within) in text(response)
    listing = reverse("actions:late_entries") + f"?as_at=2022-09-30&amp;{link(action)}"
    assert f'href="{listing}"' in response.content.decode()


@pytest.mark.parametrize(
    "page",
    [
        lambda a: reverse("actions:detail", args=[a.pk]),
        lambda a: reverse("actions:theme", args=[a.theme_id]),
        lambda a: reverse("actions:lead", args=[a.lead_id]),
    ],
    ids=["action", "theme", "lead"],
)
def test_a_page_about_some_actions_counts_only_theirs(client, officer, action, page):
    """Another theme's action, led by someone else, was updated late: the plan's position
    changed, but not this action's, theme's or lead's, so their pages say nothing."""
    entered(at(2022, 10, 20), ActionFactory(theme=ThemeFactory(plan=action.theme.plan)), AS_AT)
    client.force_login(officer)

    mine = text(client.get(page(action), {"as_at": "2022-09-30"}))
    plans = text(client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": "2022-09-30"}))

    assert "entered after that day" not in mine
    assert notice("in this plan") in plans


@pytest.mark.parametrize("kind", ["action", "theme", "lead"])
def test_the_listing_for_an_action_theme_or_lead_lists_only_theirs(client, officer, action, kind):
    entered(at(2022, 10, 20), ActionFactory(theme=ThemeFactory(plan=action.theme.plan)), AS_AT)
    entered(at(2022, 10, 20), action, AS_AT)
    number = {"action": action.pk, "theme": action.theme_id, "lead": action.lead_id}[kind]
    client.force_login(officer)

    page = text(client.get(reverse("actions:late_entries"), {kind: number, "as_at": "2022-09-30"}))

    assert "1 update entered later" in page
    assert "Publish the SEND strategy" in page


def test_a_number_the_link_names_wrongly_is_said_and_every_plan_listed(client, officer, action):
    entered(at(2022, 10, 20), action, AS_AT)
    client.force_login(officer)

    page = text(client.get(reverse("actions:late_entries"), {"theme": "9x", "as_at": "2022-09-30"}))

    assert page.startswith("Error: ")
    assert "There is no theme numbered “9x” in the link: these are every plan’s updates." in page
    assert "Every plan" in page and "Publish the SEND strategy" in page


def test_no_notice_when_nothing_was_entered_late_or_on_todays_position(client, officer, action):
    entered(at(2022, 9, 30, 17), action, AS_AT)
    entered(at(2022, 11, 1), action, date(2022, 10, 31))
    client.force_login(officer)

    past = text(client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": "2022-09-30"}))
    today = text(client.get(reverse("actions:dashboard"), {"plan": "cype"}))

    assert "entered after that day" not in past
    assert "entered after that day" not in today


def test_the_notice_counts_only_the_pages_plan(client, officer, action):
    entered(at(2022, 10, 20), ActionFactory(), AS_AT)
    client.force_login(officer)

    page = text(client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": "2022-09-30"}))

    assert "entered after that day" not in page


# The page listing them


def test_the_listing_names_the_action_the_date_it_reports_on_and_who_entered_it_when(
    client, officer, action
):
    entered(at(2022, 10, 20, 14, 5), action, AS_AT, entered_by=officer)
    entered(at(2022, 10, 21, 9, 30), action, date(2022, 9, 15))
    client.force_login(officer)

    page = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )

    assert "Updates entered after 30 September 2022 that report on or before it" in page
    assert "2 updates entered later, most recently entered first" in page
    assert (
        "1.4 Publish the SEND strategy 15 Sep 2022 In progress Green Recorded in the published "
        "plan 21 Oct 2022, 09:30 1.4 Publish the SEND strategy 30 Sep 2022 In progress Green "
        "Kerry Crichlow 20 Oct 2022, 14:05" in page
    )


def test_a_finished_update_says_its_status_once(client, officer, action):
    entered(at(2022, 10, 20, 14, 5), action, AS_AT, status=Status.COMPLETE, rag="", evidence="Done")
    client.force_login(officer)

    listing = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )
    history = text(client.get(reverse("actions:detail", args=[action.pk])))

    assert "1.4 Publish the SEND strategy 30 Sep 2022 Complete Recorded in the" in listing
    assert "30 September 2022: Complete" in history
    assert "Complete Complete" not in listing + history


def test_the_listing_without_a_plan_covers_every_plan_and_names_each(client, officer, action):
    entered(at(2022, 10, 20), ActionFactory(theme__plan__name="Another plan"), AS_AT)
    entered(at(2022, 10, 20), action, AS_AT)
    client.force_login(officer)

    page = text(client.get(reverse("actions:late_entries"), {"as_at": "2022-09-30"}))

    assert "Every plan" in page and "Another plan" in page and "CYPE Directorate Plan" in page


def test_a_plan_the_link_names_wrongly_is_said_and_every_plan_listed(client, officer, action):
    entered(at(2022, 10, 20), action, AS_AT)
    client.force_login(officer)

    response = client.get(reverse("actions:late_entries"), {"plan": "nope", "as_at": "2022-09-30"})
    page = text(response)

    assert page.startswith("Error: ")
    assert "There is no plan with that name in the link: these are every plan’s updates." in page
    assert "Every plan" in page and "Publish the SEND strategy" in page


def test_the_listing_says_so_when_nothing_was_entered_late(client, officer, action):
    client.force_login(officer)

    page = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )

    assert "No update reporting on or before 30 September 2022 has been entered since" in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (roles.SCRUTINY_MEMBERS, 200),
        (roles.OFFICERS, 200),
        (roles.PLAN_ADMINISTRATORS, 200),
        (None, 403),
    ],
)
def test_who_may_read_the_listing(client, action, role, expected):
    entered(at(2022, 10, 20), action, AS_AT)
    user = UserFactory(username="reader")
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    response = client.get(reverse("actions:late_entries"), {"as_at": "2022-09-30"})

    assert response.status_code == expected
    assert ("Publish the SEND strategy" in response.content.decode()) is (expected == 200)


@pytest.mark.parametrize("as_at", ["2022-11-15", "9999-12-31", "0001-01-01"])
def test_the_listing_answers_for_any_date_a_link_can_hold(client, officer, action, as_at):
    entered(at(2022, 10, 20), action, AS_AT)
    client.force_login(officer)

    response = client.get(reverse("actions:late_entries"), {"as_at": as_at})

    assert response.status_code == 200
    assert "No update reporting on or before" in text(response)


def test_the_listing_is_read_only_and_needs_signing_in(client, officer):
    assert client.get(reverse("actions:late_entries")).status_code == 302
    client.force_login(officer)
    assert client.post(reverse("actions:late_entries")).status_code == 405


@pytest.mark.parametrize("count", [3, 60])
def test_the_listing_runs_the_same_queries_however_many_updates(
    client, officer, plan, count, django_assert_num_queries
):
    theme = ThemeFactory(plan=plan)
    for number in range(count):
        one = ActionFactory(theme=theme)
        entered(at(2022, 10, 20) + timedelta(minutes=number), one, AS_AT, entered_by=officer)
    client.force_login(officer)

    # session, user, permissions x2, plans (Scope); COUNT for the paginator; a page of
    # updates with their action, theme, plan and who entered them; the confirmed due dates;
    # the corrected updates; the timeframe changes: the actions' own, and shared timeframes';
    # the actions added since, with who added them; the actions moved since
    with django_assert_num_queries(13):
        response = client.get(
            reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"}
        )

    assert f"{count} updates entered later" in text(response)


# Due dates confirmed later: a date to be confirmed, confirmed after the day, moves that
# day's position as a back-dated update does (the action becomes overdue as at it).


@pytest.fixture
def to_confirm(plan, officer):
    """An action of the plan whose timeframe (“31/09/22”, a day that does not exist) is to be
    confirmed, and a plan administrator to confirm it."""
    timeframe = Timeframe(label="31/09/22", to_be_confirmed=True)
    timeframe.save()
    action = ActionFactory(
        theme=ThemeFactory(plan=plan),
        reference="2.3",
        description="Review supervision",
        timeframe=timeframe,
    )
    admin = UserFactory(username="pat", first_name="Pat", last_name="Admin")
    admin.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    return action, admin


def confirmed(when, action, admin, confirmed_on=date(2022, 9, 29)):
    with time_machine.travel(when, tick=False):
        return date_confirmation_record(
            action=action,
            confirmed_on=confirmed_on,
            reason="Head of Service: the plan meant 29 September.",
            entered_by=admin,
        )


def test_a_due_date_confirmed_after_the_day_is_late_and_one_before_midnight_is_not(to_confirm):
    action, admin = to_confirm
    on_time = confirmed(at(2022, 9, 30, 23, 59, 59), action, admin, date(2022, 10, 31))
    late = confirmed(at(2022, 10, 1, 0, 0, 1), action, admin)

    assert list(DateConfirmation.objects.entered_late(AS_AT)) == [late]
    assert on_time not in DateConfirmation.objects.entered_late(AS_AT)
    # It is what separates the position now from that day's: overdue now, not then.
    then = Action.objects.with_state(AS_AT, end_of_day(AS_AT)).get(pk=action.pk)
    now = Action.objects.with_state(AS_AT).get(pk=action.pk)
    assert (then.due_on, then.is_overdue) == (date(2022, 10, 31), False)
    assert (now.due_on, now.is_overdue) == (date(2022, 9, 29), True)


def test_only_a_confirmation_that_gives_the_action_its_date_now_is_late(to_confirm):
    action, admin = to_confirm
    step = SubStepFactory(action=action, position=1, timeframe=action.timeframe)
    with time_machine.travel(at(2022, 10, 20), tick=False):
        date_confirmation_record(
            action=action,
            sub_step=step,
            confirmed_on=date(2022, 9, 1),
            reason="The step's own date.",
            entered_by=admin,
        )
    late = confirmed(at(2022, 10, 21), action, admin)
    assert list(DateConfirmation.objects.entered_late(AS_AT)) == [late]

    # Given other words since, the action no longer reads the date confirmed for the old.
    action.timeframe = Timeframe.objects.create(label="December 2022")
    action.save()
    assert not DateConfirmation.objects.entered_late(AS_AT).exists()
    assert not DateConfirmation.objects.entered_late(date(2022, 11, 15)).exists()


def test_counting_timeframe_changes_leaves_out_the_words_only_the_listing_shows(
    client, administrator, action
):
    """Every page as at a past date counts the timeframe changes since; building the words
    before and after into that count's query took about 7 ms on each, for nothing."""
    client.force_login(administrator)
    changed_in_the_admin(client, at(2022, 10, 20, 14, 5), action, "August 2022")
    own = Action.history.timeframe_changed_since(end_of_day(AS_AT))

    assert timeframe_changes_late_count(AS_AT) == 1
    assert "historicaltimeframe" not in str(own.query)
    assert [(r.timeframe_before, r.timeframe_after) for r in own.with_timeframe_words()] == [
        ("September 2022", "August 2022")
    ]


@pytest.mark.parametrize(
    "page, within",
    [
        (lambda a: reverse("actions:dashboard") + "?plan=cype&as_at=2022-09-30", "in this plan"),
        (lambda a: reverse("actions:overdue") + "?plan=cype&as_at=2022-09-30", "in this plan"),
        (
            lambda a: reverse("actions:detail", args=[a.pk]) + "?as_at=2022-09-30",
            "on this action",
        ),
        (
            lambda a: reverse("actions:theme", args=[a.theme_id]) + "?as_at=2022-09-30",
            "in this theme",
        ),
        (
            lambda a: reverse("actions:lead", args=[a.lead_id]) + "?as_at=2022-09-30",
            "on these actions",
        ),
    ],
    ids=["dashboard", "overdue", "action", "theme", "lead"],
)
def test_pages_for_a_past_date_say_a_due_date_was_confirmed_after_it(
    client, officer, to_confirm, page, within
):
    action, admin = to_confirm
    confirmed(at(2022, 10, 20, 14, 5), action, admin)
    client.force_login(officer)

    shown = text(client.get(page(action)))

    assert (
        f"1 due date was confirmed after that day {within}. This position "
        "includes it, so it has changed since 30 September 2022" in shown
    )
    assert "See what was entered later" in shown


def test_the_notice_counts_updates_and_confirmed_dates_together(
    client, officer, action, to_confirm
):
    confirmed(at(2022, 10, 20), *to_confirm)
    entered(at(2022, 10, 21), action, AS_AT)
    client.force_login(officer)

    shown = text(client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": "2022-09-30"}))

    assert (
        "1 update reporting on or before 30 September 2022 was entered after that day in this "
        "plan. 1 due date was confirmed after that day in this plan. This "
        "position includes them" in shown
    )


def test_a_confirmation_on_another_action_or_before_the_day_says_nothing(
    client, officer, action, to_confirm
):
    confirmed(at(2022, 9, 30, 17), *to_confirm)
    client.force_login(officer)

    mine = text(client.get(reverse("actions:detail", args=[action.pk]), {"as_at": "2022-09-30"}))
    plans = text(client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": "2022-09-30"}))

    assert "confirmed after that day" not in mine + plans


def test_the_listing_names_the_confirmed_date_its_words_why_and_who_confirmed_it_when(
    client, officer, to_confirm
):
    action, admin = to_confirm
    confirmed(at(2022, 10, 20, 14, 5), action, admin)
    client.force_login(officer)

    page = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )

    assert (
        "Updates entered after 30 September 2022 that report on or before it, and due dates "
        "confirmed since" in page
    )
    assert "1 due date confirmed later, most recently entered first" in page
    assert (
        "2.3 Review supervision 31/09/22 29 Sep 2022 Head of Service: the plan meant 29 "
        "September. Pat Admin 20 Oct 2022, 14:05" in page
    )
    # No update was entered late, but the position did change: it is not what was shown.
    assert "No update reporting on or before 30 September 2022 has been entered since" in page
    assert "is what the tracker showed then" not in page


@pytest.mark.parametrize("count", [3, 60])
def test_the_listing_runs_the_same_queries_however_many_dates_were_confirmed(
    client, officer, plan, count, django_assert_num_queries
):
    timeframe = Timeframe(label="31/09/22", to_be_confirmed=True)
    timeframe.save()
    admin = UserFactory(username="pat")
    theme = ThemeFactory(plan=plan)
    for number in range(count):
        one = ActionFactory(theme=theme, timeframe=timeframe)
        confirmed(at(2022, 10, 20) + timedelta(minutes=number), one, admin)
    client.force_login(officer)

    # session, user, permissions x2, plans (Scope); COUNT for the updates' paginator (none,
    # so no page of them); every confirmation with its action, theme, plan and who entered
    # it; the corrected updates and the timeframe changes (none): the actions' own, and
    # shared timeframes'; the actions added and moved since (none)
    with django_assert_num_queries(12):
        response = client.get(
            reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"}
        )

    assert f"{count} due dates confirmed later" in text(response)


# Timeframes changed later: every rule reads an action's timeframe as it is now, so other
# words given after the day (an import's correction, the admin's) move that day's position.


def changed_in_the_admin(client, when, action, words):
    url = reverse("admin:actions_action_change", args=[action.pk])
    with time_machine.travel(when, tick=False):
        data = post_form(client.get(url).content.decode())
        data["timeframe_label"] = words
        response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302


@pytest.fixture
def administrator(db):
    admin = UserFactory(username="pat", first_name="Pat", last_name="Admin", is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    return admin


def test_a_timeframe_changed_after_the_day_is_late_and_one_before_midnight_is_not(
    client, administrator, action
):
    client.force_login(administrator)
    changed_in_the_admin(client, at(2022, 9, 30, 23, 59, 59), action, "October 2022")
    changed_in_the_admin(client, at(2022, 10, 1, 0, 0, 1), action, "August 2022")
    action.refresh_from_db()
    action.description = "Publish the SEND strategy, edited"
    action.save()  # a change to other words than the timeframe's is not one

    late = timeframe_changes_late(AS_AT)

    assert [(change.before, change.after) for change in late] == [("October 2022", "August 2022")]
    assert late[0].by == administrator
    assert late[0].at == at(2022, 10, 1, 0, 0, 1)
    # The position as at the day has changed: due 31 August, so overdue.
    now = Action.objects.with_state(AS_AT).get(pk=action.pk)
    assert (now.due_on, now.is_overdue) == (date(2022, 8, 31), True)


@pytest.mark.parametrize(
    "page, within",
    [
        (lambda a: reverse("actions:dashboard") + "?plan=cype&as_at=2022-09-30", "in this plan"),
        (
            lambda a: reverse("actions:detail", args=[a.pk]) + "?as_at=2022-09-30",
            "on this action",
        ),
        (
            lambda a: reverse("actions:theme", args=[a.theme_id]) + "?as_at=2022-09-30",
            "in this theme",
        ),
        (
            lambda a: reverse("actions:lead", args=[a.lead_id]) + "?as_at=2022-09-30",
            "on these actions",
        ),
    ],
    ids=["dashboard", "action", "theme", "lead"],
)
def test_pages_for_a_past_date_say_a_timeframe_was_changed_after_it(
    client, administrator, officer, action, page, within
):
    client.force_login(administrator)
    changed_in_the_admin(client, at(2022, 10, 20, 14, 5), action, "August 2022")
    client.force_login(officer)

    shown = text(client.get(page(action)))

    assert (
        f"1 timeframe was changed after that day {within}. This position includes it, so it "
        "has changed since 30 September 2022" in shown
    )
    assert "See what was entered later" in shown


def test_the_listing_names_the_words_before_and_after_how_and_who_changed_them_when(
    client, administrator, officer, action
):
    client.force_login(administrator)
    changed_in_the_admin(client, at(2022, 10, 20, 14, 5), action, "August 2022")
    client.force_login(officer)

    page = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )

    assert "that report on or before it, and timeframes changed since" in page
    assert "1 timeframe changed later, most recently changed first" in page
    assert (
        "1.4 Publish the SEND strategy September 2022 August 2022 Changed for this action alone "
        "Pat Admin 20 Oct 2022, 14:05" in page
    )
    assert "is what the tracker showed then" not in page


@pytest.mark.parametrize("count", [3, 60])
def test_the_listing_runs_the_same_queries_however_many_timeframes_changed(
    client, officer, plan, count, django_assert_num_queries
):
    theme = ThemeFactory(plan=plan)
    august = Timeframe.objects.create(label="August 2022")
    for number in range(count):
        one = ActionFactory(theme=theme, timeframe__label=f"{number % 28 + 1}/12/22 ({number})")
        with time_machine.travel(at(2022, 10, 20) + timedelta(minutes=number), tick=False):
            one.timeframe = august
            one.save()
    client.force_login(officer)

    # session, user, permissions x2, plans (Scope); COUNT for the updates' paginator (none,
    # so no page of them); the confirmed due dates (none); every timeframe change with its
    # action's theme and plan, the words before and after, and who changed it; shared
    # timeframes' changes (none); the corrected updates (none); the actions added and moved
    # since (none)
    with django_assert_num_queries(12):
        response = client.get(
            reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"}
        )

    assert f"{count} timeframes changed later" in text(response)


def test_a_shared_timeframe_changed_on_its_own_page_is_listed_for_every_action_it_moves(
    client, administrator, officer, action
):
    other = ActionFactory(theme=action.theme, reference="1.5", timeframe=action.timeframe)
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:actions_timeframe_change", args=[action.timeframe_id])
    with time_machine.travel(at(2022, 10, 20, 14, 5), tick=False):
        data = post_form(client.get(url).content.decode())
        data.update(label="August 2022", move_all="on")
        assert client.post(url, {**data, "_save": "Save"}).status_code == 302
    client.force_login(officer)

    dashboard = text(
        client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": "2022-09-30"})
    )
    listing = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )

    # One change of words, moving two actions: both now overdue as at 30 September.
    assert "2 timeframes were changed after that day in this plan." in dashboard
    assert "2 timeframes changed later" in listing
    for reference in ("1.4", "1.5"):
        assert (
            f"{reference} " in listing
            and "September 2022 August 2022 Changed on the timeframe’s own page, for every "
            "action it times Pat Admin 20 Oct 2022, 14:05"
            in listing
        )
    assert Action.objects.filter(pk__in=[action.pk, other.pk]).overdue(AS_AT).count() == 2


def test_a_timeframe_change_names_the_words_as_they_read_when_it_was_made(
    client, administrator, officer, action
):
    """1.4 moved to “August 2022” on 20 October; on 25 October that timeframe's own words
    became “July 2022”. The first change still reads “September 2022” to “August 2022”."""
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    changed_in_the_admin(client, at(2022, 10, 20, 14, 5), action, "August 2022")
    url = reverse(
        "admin:actions_timeframe_change", args=[Timeframe.objects.get(label="August 2022").pk]
    )
    with time_machine.travel(at(2022, 10, 25, 9), tick=False):
        # Signed in again five days on: the admin's save of 20 October kept the session then.
        client.force_login(administrator)
        data = post_form(client.get(url).content.decode())
        data.update(label="July 2022", move_all="on")
        assert client.post(url, {**data, "_save": "Save"}).status_code == 302
    client.force_login(officer)

    listing = text(
        client.get(reverse("actions:late_entries"), {"action": action.pk, "as_at": "2022-09-30"})
    )

    assert (
        "1.4 Publish the SEND strategy August 2022 July 2022 Changed on the timeframe’s own "
        "page, for every action it times Pat Admin 25 Oct 2022, 09:00 "
        "1.4 Publish the SEND strategy September 2022 August 2022 Changed for this action "
        "alone Pat Admin 20 Oct 2022, 14:05" in listing
    )


def first_step(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return cursor.fetchall()[0][-1]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's follows statistics"
)
def test_sqlite_finds_confirmations_and_timeframe_changes_from_those_entered_since(
    plan, to_confirm
):
    """As for late updates: starting from the plan's actions read all 10,000 of them first
    (6 to 8 ms on every page as at a past date); starting from what was entered since reads
    the few there are."""
    action, admin = to_confirm
    mine = confirmed(at(2022, 10, 20), action, admin)
    actions = Action.objects.filter(theme__plan=plan)
    confirmations = DateConfirmation.objects.entered_late(AS_AT, actions=actions)
    history = Action.history.timeframe_changed_since(end_of_day(AS_AT), actions=actions)
    shared = Timeframe.history.words_changed_since(end_of_day(AS_AT), actions=actions)

    corrected = ProgressUpdate.history.corrected_late(AS_AT, actions=actions)

    assert list(confirmations) == [mine]
    assert "actions_dateconfirmation" in first_step(confirmations)
    # The history's changes, by the index on their kind and date: not every first entry
    # written since (one per update entered since).
    assert "action_history_changes" in first_step(history.order_by())
    assert "timeframe_history_changes" in first_step(shared.order_by())
    assert "update_history_changes" in first_step(corrected.order_by())


# Updates corrected later: a superuser's correction keeps the update's entered_at, so only
# its history says the position as at the day changed after it.


def corrected_in_the_admin(client, by, when, update, **fields):
    url = reverse("admin:actions_progressupdate_change", args=[update.pk])
    with time_machine.travel(when, tick=False):
        # Signed in at `when`: an admin save keeps the session as at its day, so one saved
        # weeks before has lapsed by then.
        client.force_login(by)
        data = post_form(client.get(url).content.decode())
        data.update(fields)
        response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="sys", first_name="Sys", last_name="Admin", is_staff=True, is_superuser=True
    )


def test_an_update_corrected_after_the_day_is_late_and_one_corrected_before_midnight_is_not(
    client, superuser, action
):
    on_day = entered(at(2022, 9, 30, 9), action, AS_AT, worried_about="")
    later_one = entered(at(2022, 10, 10), action, date(2022, 10, 5))
    client.force_login(superuser)
    corrected_in_the_admin(
        client,
        superuser,
        at(2022, 9, 30, 23, 59, 59),
        on_day,
        rag="amber",
        worried_about="Partners slow.",
    )
    corrected_in_the_admin(client, superuser, at(2022, 10, 1, 0, 0, 1), on_day, rag="red")
    # Reporting after the day, before and after its correction: not the day's position.
    corrected_in_the_admin(
        client, superuser, at(2022, 10, 20), later_one, rag="red", worried_about="Late."
    )

    late = list(ProgressUpdate.history.corrected_late(AS_AT))

    assert [(record.id, record.rag_before, record.rag) for record in late] == [
        (on_day.pk, "amber", "red")
    ]
    assert correction_words(late[0]) == "RAG: Amber → Red"
    assert late[0].history_user == superuser


def test_pages_and_the_listing_say_an_update_was_corrected_after_the_day(
    client, superuser, officer, action
):
    update = entered(at(2022, 9, 30, 9), action, AS_AT, entered_by=officer)
    client.force_login(superuser)
    corrected_in_the_admin(
        client,
        superuser,
        at(2022, 10, 20, 14, 5),
        update,
        status="complete",
        rag="",
        evidence="Done",
    )
    client.force_login(officer)

    page = text(client.get(reverse("actions:detail", args=[action.pk]), {"as_at": "2022-09-30"}))
    listing = text(
        client.get(reverse("actions:late_entries"), {"plan": "cype", "as_at": "2022-09-30"})
    )

    assert (
        "1 update reporting on or before 30 September 2022 was corrected after that day on "
        "this action. This position includes it" in page
    )
    assert "1 update corrected later, most recently corrected first" in listing
    assert (
        "1.4 Publish the SEND strategy 30 Sep 2022 Status: In progress → Complete; RAG: Green "
        "→ not rated Sys Admin 20 Oct 2022, 14:05" in listing
    )


def test_a_deleted_update_is_a_correction_too(client, superuser, officer, action):
    update = entered(at(2022, 9, 30, 9), action, AS_AT)
    with time_machine.travel(at(2022, 10, 20), tick=False):
        update.delete()

    late = list(ProgressUpdate.history.corrected_late(AS_AT))

    assert [correction_words(record) for record in late] == ["Deleted"]
