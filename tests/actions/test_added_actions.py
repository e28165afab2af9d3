"""Actions added to a plan after it began: pages as at an earlier date leave them out, and
say so; the actions a plan was loaded or first imported with count from its start.

The story: the directorate plan began on 1 April 2022. On 20 October 2022 the performance
team adds action 4.1 in the admin. The dashboard as at 30 September 2022 must read as it
did then: 4.1 was not part of the plan, so it is neither stale nor "no concerns" then.
"""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from actions import roles
from actions.models import Action
from reports.services import quarterly_report_draft
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory
from tests.shown import shown_references
from themes.periods import Quarter

LONDON = ZoneInfo("Europe/London")
AS_AT = date(2022, 9, 30)
ADDED = date(2022, 10, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2022, 11, 15, 9, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def plan(db):
    return PlanFactory(
        name="CYPE Directorate Plan 2022-24", slug="cype", starts_on=date(2022, 4, 1)
    )


@pytest.fixture
def theme(plan):
    return ThemeFactory(plan=plan, name="Working in Partnership")


@pytest.fixture
def loaded(theme):
    """An action the plan was loaded with, due before the as-at date: overdue then."""
    return ActionFactory(
        theme=theme,
        reference="1.1",
        description="Agree the partnership charter",
        timeframe__label="June 2022",
    )


@pytest.fixture
def added(theme):
    """An action added on 20 October 2022, due in June 2022 as the plan words it."""
    return ActionFactory(
        theme=theme,
        reference="4.1",
        description="Publish the new SEND strategy",
        timeframe__label="June 2022",
        added_on=ADDED,
    )


@pytest.fixture
def member(db, client):
    user = UserFactory(username="councillor")
    user.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    client.force_login(user)
    return user


# The rule


def test_an_action_is_in_its_plan_from_the_day_it_was_added(loaded, added):
    for day, expected in (
        (date(2022, 10, 19), {"1.1"}),
        (ADDED, {"1.1", "4.1"}),
        (date(2022, 10, 21), {"1.1", "4.1"}),
    ):
        in_plan = set(Action.objects.in_plan_on(day).values_list("reference", flat=True))
        assert in_plan == expected
        assert {a.reference for a in Action.objects.all() if a.in_plan_on(day)} == expected
        assert set(Action.objects.added_after(day).values_list("reference", flat=True)) == (
            {"1.1", "4.1"} - expected
        )


def test_an_action_the_plan_was_loaded_with_is_in_it_as_at_any_date(loaded):
    assert list(Action.objects.in_plan_on(date(2000, 1, 1))) == [loaded]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's follows statistics"
)
def test_sqlite_counts_a_plans_added_actions_from_the_index_of_them(plan, loaded, added):
    """Every page as at a past date counts the actions added since: SQLite keeps no
    statistics, so its plan is the same at any size, and reading each of the plan's actions
    for it took 4.7 ms at 10,000 actions; the index on theme and added_on answers alone."""
    added_since = Action.objects.filter(theme__plan=plan).added_after(AS_AT)
    sql, params = added_since.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [step[-1] for step in cursor.fetchall()]

    assert added_since.count() == 1
    assert any("action_added_on_in_theme" in step for step in steps), steps


# The pages as at a past date


def test_the_dashboard_as_at_a_past_date_leaves_out_an_action_added_since(
    client, member, loaded, added
):
    page = client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": AS_AT})

    assert page.context["counts"]["total"] == 1
    assert page.context["counts"]["overdue"] == 1
    text = page.content.decode()
    assert "1 action was added to the plan after 30 September 2022." in text
    assert "This position leaves it out" in text


def test_the_dashboard_today_counts_the_added_action_without_a_notice(
    client, member, loaded, added
):
    page = client.get(reverse("actions:dashboard"), {"plan": "cype"})

    assert page.context["counts"]["total"] == 2
    assert "added to the plan after" not in page.content.decode()


def test_the_dashboard_on_the_day_it_was_added_counts_it(client, member, loaded, added):
    page = client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": ADDED})

    assert page.context["counts"]["total"] == 2
    assert "added to the plan after" not in page.content.decode()


def test_the_overdue_list_as_at_a_past_date_leaves_out_an_action_added_since(
    client, member, loaded, added
):
    page = client.get(reverse("actions:overdue"), {"plan": "cype", "as_at": AS_AT, "by": "lead"})

    assert shown_references(page) == ["1.1"]
    assert "1 action was added to the plan after 30 September 2022." in page.content.decode()


def test_the_register_as_at_a_past_date_leaves_out_an_action_added_since(
    client, member, loaded, added
):
    page = client.get(reverse("actions:register"), {"plan": "cype", "as_at": AS_AT})
    text = page.content.decode()

    assert "Agree the partnership charter" in text
    assert "Publish the new SEND strategy" not in text
    assert "1 action was added to the plan after 30 September 2022." in text


def test_the_theme_page_as_at_a_past_date_leaves_out_an_action_added_since(
    client, member, theme, loaded, added
):
    page = client.get(reverse("actions:theme", args=[theme.pk]), {"as_at": AS_AT})

    assert shown_references(page) == ["1.1"]
    assert page.context["counts"]["total"] == 1


def test_the_action_page_as_at_a_day_before_it_was_added_says_so(client, member, added):
    page = client.get(reverse("actions:detail", args=[added.pk]), {"as_at": AS_AT})

    assert "This action was added to its plan after 30 September 2022." in page.content.decode()


def test_the_notice_links_to_a_listing_of_the_actions_added_since(client, member, theme, loaded):
    """The notice counts the action added since; its link leads to a listing that names it,
    with who added it and when, as the notice's other counts are listed there."""
    admin = UserFactory(username="perf", first_name="Pat", last_name="Performance")
    with time_machine.travel(datetime(2022, 10, 20, 11, tzinfo=LONDON), tick=False):
        action = ActionFactory(
            theme=theme,
            reference="4.1",
            description="Publish the new SEND strategy",
            timeframe__label="June 2022",
            added_on=ADDED,
        )
    action.history.filter(history_type="+").update(history_user=admin)

    notice = client.get(reverse("actions:dashboard"), {"plan": "cype", "as_at": AS_AT})
    [link] = re.findall(r'href="([^"]*late-entries/[^"]*)"', notice.content.decode())
    page = client.get(html.unescape(link))
    text = page.content.decode()

    assert "1 action added to the plan later, most recently added first" in text
    assert "4.1 Publish the new SEND strategy" in text
    assert "Added to the plan after 30 September 2022" in text
    assert "Pat Performance<br>20 Oct 2022" in text
    assert "Agree the partnership charter" not in text
    assert "the position as at 30 September 2022 is what the tracker showed then" not in text


def test_a_quarterly_report_leaves_out_an_action_added_after_its_quarter_end(loaded, added):
    content, _ = quarterly_report_draft(plan=loaded.theme.plan, quarter=Quarter.ending_on(AS_AT))

    assert [position.reference for position in content.positions] == ["1.1"]
    assert content.counts["total"] == 1


# Where added_on comes from


@pytest.fixture
def administrator(db, client):
    user = UserFactory(username="pat", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    client.force_login(user)
    return user


def add_in_admin(client, theme, lead, reference):
    return client.post(
        reverse("admin:actions_action_add"),
        {
            "theme": theme.pk,
            "position": 9,
            "reference": reference,
            "description": "Publish the new SEND strategy",
            "lead": lead.pk,
            "timeframe_label": "March 2023",
            "sub_steps-TOTAL_FORMS": 0,
            "sub_steps-INITIAL_FORMS": 0,
            "progress_updates-TOTAL_FORMS": 0,
            "progress_updates-INITIAL_FORMS": 0,
        },
    )


def test_an_action_added_in_the_admin_after_the_plan_began_is_added_today(
    client, administrator, loaded
):
    response = add_in_admin(client, loaded.theme, loaded.lead, "4.1")

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Action.objects.get(reference="4.1").added_on == date(2022, 11, 15)


def test_an_action_added_in_the_admin_before_the_plan_begins_is_in_it_from_its_start(
    client, administrator
):
    theme = ThemeFactory(plan=PlanFactory(slug="next", starts_on=date(2023, 4, 1)))
    lead = ActionFactory(theme=theme, position=1).lead

    response = add_in_admin(client, theme, lead, "1.2")

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Action.objects.get(reference="1.2").added_on is None


def test_the_real_plans_as_loaded_are_in_them_from_their_start(db):
    call_command("load_plans", verbosity=0)

    assert not Action.objects.added_after(date(2000, 1, 1)).exists()


def test_an_action_an_import_adds_to_a_plan_already_loaded_is_added_today(db):
    from imports.layout import plan_rows, workbook
    from imports.services import plan_import_confirm, plan_import_preview
    from themes.models import Plan

    call_command("load_plans", verbosity=0)
    administrator = UserFactory(username="pat", is_superuser=True)
    plan = Plan.objects.get(slug="cype-directorate-plan-2022-24")
    rows = plan_rows(plan)
    rows.append({**rows[-1], "action": "Publish the new SEND strategy", "reference": ""})
    record = plan_import_preview(
        file_name="added.xlsx", data=workbook(rows), plan_slug=plan.slug, user=administrator
    )
    assert record.preview["counts"]["add"] == 1

    plan_import_confirm(plan_import=record, user=administrator)

    added = Action.objects.get(description="Publish the new SEND strategy")
    assert added.added_on == date(2022, 11, 15)
    assert Action.objects.filter(theme__plan=plan).added_after(date(2022, 11, 14)).get() == added


def test_the_migration_dates_the_actions_added_after_the_plan_was_loaded(db):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("actions.migrations.0017_action_added_on")
    with time_machine.travel(datetime(2022, 10, 3, 9, tzinfo=LONDON), tick=False):
        theme = ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1)))
        loaded = ActionFactory(theme=theme)
    with time_machine.travel(datetime(2022, 10, 20, 23, 30, tzinfo=LONDON), tick=False):
        added = ActionFactory(theme=theme)

    migration.added_on_from_history(apps, SimpleNamespace(connection=connection))

    loaded.refresh_from_db()
    added.refresh_from_db()
    assert (loaded.added_on, added.added_on) == (None, ADDED)
