"""The report's page, its downloads and publishing run the same number of queries for a
plan of 50 actions as for one of 500.

Every page starts with the reader's four queries: session, user, the user's own
permissions, their groups' permissions.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from simple_history.utils import bulk_update_with_history

from actions import roles
from actions.demo import demo_plan_generate
from actions.models import Action, DateConfirmation, ProgressUpdate, Status, Timeframe
from cypeplan.history import record_starting_history
from reports.services import quarterly_report_publish
from tests.factories import UserFactory

AS_AT = date(2025, 9, 30)
QUARTER_END = date(2025, 6, 30)
PUBLISHED_AT = datetime(2025, 7, 3, 9, tzinfo=ZoneInfo("Europe/London"))

# The transaction (a savepoint inside the test's, and its release); the plan (locked);
# this quarter's positions: actions with state, supporting leads, latest updates;
# counts(); the previous published report (none); the previous quarter end's positions (3)
# and counts(); the updates of the quarter; the version it replaces; the report; its
# history row; the positions, in one statement run for each (executemany).
PUBLISH = 17
# Session, user, permissions x2; the report; its frozen positions; the updates entered
# after publication; those corrected after it; the due dates confirmed after it; the
# timeframes changed after it (the actions' own; shared timeframes'); later versions.
REPORT_PAGE = 12
# ...and, when any of those later entries exist, those actions' live positions (3).
REPORT_PAGE_WITH_LATE_UPDATES = 15
# Session, user, permissions x2; the report; its stored file (none yet); its frozen
# positions; storing the file made from them (a savepoint, the insert, its release).
DOWNLOAD = 10
# Session, user, permissions x2; the report; its stored file (or, for a large report whose
# file is being made, that there is none yet).
DOWNLOAD_STORED = 6


@pytest.fixture(params=[50, 500], ids=lambda size: f"{size} actions")
def plan(request, db):
    return demo_plan_generate(actions=request.param, updates_per_action=3, as_at=AS_AT)


@pytest.fixture
def reader(db):
    user = UserFactory(username="reader")
    user.groups.add(Group.objects.get(name=roles.SCRUTINY_MEMBERS))
    return user


def publish(plan):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return quarterly_report_publish(plan=plan, quarter_ends_on=QUARTER_END)


def test_publishing_runs_the_same_number_of_queries_however_big_the_plan(
    plan, django_assert_num_queries
):
    with django_assert_num_queries(PUBLISH):
        report = publish(plan)

    assert report.positions.count() == Action.objects.filter(theme__plan=plan).count()


@pytest.mark.parametrize(
    "url_name, queries",
    [("reports:detail", REPORT_PAGE), ("reports:docx", DOWNLOAD), ("reports:pdf", DOWNLOAD)],
)
def test_the_report_and_its_downloads_run_the_same_number_of_queries(
    plan, reader, client, django_assert_num_queries, url_name, queries, settings
):
    # Both sizes' files made while the reader waits, to count the queries that takes.
    settings.REPORT_DOCUMENTS_MADE_WHILE_WAITING = 500
    report = publish(plan)
    client.force_login(reader)

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name, args=[report.pk]))

    assert response.status_code == 200
    if url_name != "reports:detail":
        with django_assert_num_queries(DOWNLOAD_STORED):
            again = client.get(reverse(url_name, args=[report.pk]))
        assert again.content == response.content


@pytest.mark.parametrize("url_name", ["reports:docx", "reports:pdf"])
def test_a_download_whose_file_is_being_made_runs_the_same_number_of_queries(
    plan, reader, client, django_assert_num_queries, url_name, settings, monkeypatch
):
    settings.REPORT_DOCUMENTS_MADE_WHILE_WAITING = 10
    started = []
    monkeypatch.setattr("reports.services.files.report_documents_make_later", started.append)
    report = publish(plan)
    client.force_login(reader)

    with django_assert_num_queries(DOWNLOAD_STORED):
        response = client.get(reverse(url_name, args=[report.pk]))

    assert response.status_code == 202
    assert started == [report]


def test_the_report_page_with_later_updates_runs_a_fixed_number_of_queries(
    plan, reader, client, django_assert_num_queries
):
    report = publish(plan)
    # Back-dated updates on a tenth of the plan, entered after publication.
    actions = list(Action.objects.filter(theme__plan=plan).order_by("pk")[::10])
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action, reported_on=QUARTER_END, status=Status.COMPLETE, evidence="Late evidence"
        )
        for action in actions
    )
    client.force_login(reader)

    with django_assert_num_queries(REPORT_PAGE_WITH_LATE_UPDATES):
        response = client.get(reverse("reports:detail", args=[report.pk]))

    assert "Positions changed by later entries" in response.content.decode()


def test_the_report_page_with_dates_confirmed_later_runs_a_fixed_number_of_queries(
    plan, reader, client, django_assert_num_queries
):
    # A tenth of the plan's dates to be confirmed when published, and confirmed since.
    timeframe = Timeframe(label="31/09/24", to_be_confirmed=True)
    timeframe.save()
    actions = list(Action.objects.filter(theme__plan=plan).order_by("pk")[5::10])
    Action.objects.filter(pk__in=[action.pk for action in actions]).update(timeframe=timeframe)
    report = publish(plan)
    admin = UserFactory(username="admin")
    with time_machine.travel(PUBLISHED_AT + timedelta(days=30), tick=False):
        DateConfirmation.objects.bulk_create(
            DateConfirmation(
                action=action,
                timeframe_label="31/09/24",
                confirmed_on=QUARTER_END - timedelta(days=1),
                reason="Confirmed with the lead.",
                entered_by=admin,
            )
            for action in actions
        )
    client.force_login(reader)

    with django_assert_num_queries(REPORT_PAGE_WITH_LATE_UPDATES):
        response = client.get(reverse("reports:detail", args=[report.pk]))

    assert f"have changed {len(actions)} positions as at that date" in response.content.decode()


def test_the_report_page_with_timeframes_changed_later_runs_a_fixed_number_of_queries(
    plan, reader, client, django_assert_num_queries
):
    record_starting_history("Generated")  # as load_plans and imports do
    report = publish(plan)
    # A tenth of the plan given other words since, as an import does it.
    actions = list(Action.objects.filter(theme__plan=plan).order_by("pk")[3::10])
    earlier = Timeframe.objects.create(label="Corrected: 31/01/25")
    for action in actions:
        action.timeframe = earlier
    with time_machine.travel(PUBLISHED_AT + timedelta(days=30), tick=False):
        bulk_update_with_history(actions, Action, ["timeframe"], default_user=reader)
    client.force_login(reader)

    with django_assert_num_queries(REPORT_PAGE_WITH_LATE_UPDATES):
        response = client.get(reverse("reports:detail", args=[report.pk]))

    assert "1 timeframe changed later" not in response.content.decode()
    assert f"{len(actions)} timeframes changed later" in response.content.decode()


# Session, user, permissions x2, plans (with the data's version: cypeplan/kept.py);
# rag_by_theme() (counts and RAG by theme in one grouped query, whose counts the panel
# reads too);
# late entries (the scope's notice: updates entered, updates corrected, confirmed due
# dates, changed timeframes, actions added since; the actions moved since); the latest
# report; at the report's quarter end, the updates entered and corrected, the due dates
# confirmed and the timeframes changed since (2).
DASHBOARD_AFTER_A_REPORT = 18


def test_the_dashboards_report_panel_runs_a_fixed_number_of_queries(
    plan, reader, client, django_assert_num_queries
):
    report = publish(plan)
    client.force_login(reader)

    with django_assert_num_queries(DASHBOARD_AFTER_A_REPORT):
        response = client.get(
            reverse("actions:dashboard"), {"plan": plan.slug, "as_at": QUARTER_END.isoformat()}
        )

    assert f'href="{report.get_absolute_url()}"' in response.content.decode()
