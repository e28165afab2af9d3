"""Results kept while the data is unchanged (cypeplan/kept.py): the dashboard's counts are
worked out once and read again until anything in the database changes, however it
changes, and never shown from before a change. Transactional, so that PostgreSQL's
snapshots (committed work) are what is tested, as in production."""

import re
import threading
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_script_prefix
from django.urls import reverse

from actions.models import RAG, Action, ProgressUpdate, Status
from actions.models.rules.queryset import ActionQuerySet
from actions.presentation import rows
from actions.services import progress_update_record
from cypeplan import kept
from scrutiny import panels
from scrutiny.models import Item
from scrutiny.services import response_record
from tests.browser.conftest import ensure_role_groups
from tests.factories import (
    ActionFactory,
    ItemFactory,
    LeadFactory,
    MeetingFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)
from tests.shown import register_shown, shown_action_ids
from themes.models import Theme

pytestmark = pytest.mark.django_db(transaction=True)

COUNTS_QUERY = 'WITH RECURSIVE "action_state"'


@pytest.fixture
def plan():
    ensure_role_groups()  # an earlier transactional test's flush may have taken them
    cache.clear()
    today = date.today()
    # Running today, so the dashboard opens as at today.
    plan = PlanFactory(
        name="Kept counts plan",
        slug="kept-counts",
        starts_on=today - timedelta(days=365),
        ends_on=today + timedelta(days=365),
    )
    theme = ThemeFactory(plan=plan, name="Kept counts theme")
    lead = LeadFactory(name="Kept counts lead")
    for _ in range(3):
        ActionFactory(theme=theme, lead=lead)
    return plan


@pytest.fixture
def reader(client):
    user = UserFactory(username="kept-reader")
    user.groups.add(Group.objects.get(name="Scrutiny members"))
    client.force_login(user)
    return client


def dashboard(reader, plan):
    """The dashboard's counts (the plan's, and RAG summed over its themes), and whether
    they were worked out (not read as kept)."""
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(reverse("actions:dashboard"), {"plan": plan.slug})
    assert response.status_code == 200
    worked_out = any(COUNTS_QUERY in query["sql"] for query in queries.captured_queries)
    themes = response.context["themes"]
    rag = {name: sum(theme[name] for theme in themes) for name in ("red", "amber", "green")}
    return {**response.context["counts"], **rag}, worked_out


def record(action, rag, status=Status.IN_PROGRESS):
    progress_update_record(
        action=action,
        reported_on=date.today(),
        status=status,
        rag=rag,
        entered_by=UserFactory(),
        working_well="Kept counts test.",
        worried_about="" if rag == RAG.GREEN else "Kept counts test.",
        evidence="Kept counts test." if status == Status.COMPLETE else "",
    )


def test_the_dashboards_counts_are_kept_until_an_update_changes_them(plan, reader):
    first, worked_out = dashboard(reader, plan)
    assert worked_out and first["red"] == 0 and first["total"] == 3

    again, worked_out = dashboard(reader, plan)
    assert not worked_out
    assert again == first

    record(Action.objects.filter(theme__plan=plan).first(), RAG.RED)
    after, worked_out = dashboard(reader, plan)
    assert worked_out
    assert after["red"] == 1 and after["at_risk"] == first["at_risk"]

    assert dashboard(reader, plan) == (after, False)


def writes():
    """Every way a row can change, each in a table the dashboard reads."""
    theme = Theme.objects.get(name="Kept counts theme")
    action = Action.objects.filter(theme=theme).first()
    return {
        "save": lambda: Theme.objects.filter(pk=theme.pk).first().save(),
        "update()": lambda: Action.objects.filter(pk=action.pk).update(reference="9.9"),
        "bulk_create": lambda: ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    action=action,
                    reported_on=date(2024, 1, 1),
                    status=Status.IN_PROGRESS,
                    rag=RAG.AMBER,
                    entered_by=UserFactory(),
                )
            ]
        ),
        "delete": lambda: ActionFactory(theme=theme).delete(),
        "raw SQL": lambda: connection.cursor().execute(
            f"UPDATE {Theme._meta.db_table} SET name = name || '.' WHERE id = %s", [theme.pk]
        ),
    }


@pytest.mark.parametrize("how", ["save", "update()", "bulk_create", "delete", "raw SQL"])
def test_every_way_of_writing_gives_the_data_a_new_version(plan, how):
    before = kept.data_version()
    assert before is not None

    writes()[how]()

    assert kept.data_version() not in (None, before)


def test_reading_leaves_the_version_as_it_is(plan, reader):
    dashboard(reader, plan)
    before = kept.data_version()
    dashboard(reader, plan)
    reader.get(reverse("actions:register"))
    assert kept.data_version() == before


def test_a_write_undone_leaves_the_kept_counts_right(plan, reader):
    counted, _ = dashboard(reader, plan)
    before = kept.data_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        record(Action.objects.filter(theme__plan=plan).first(), RAG.RED)
        raise RuntimeError("undone")

    again, worked_out = dashboard(reader, plan)
    assert again == counted
    if connection.vendor == "sqlite":
        # Undone with the data: the counts kept before answer again.
        assert kept.data_version() == before
        assert not worked_out


def test_nothing_is_kept_or_read_inside_a_transaction_that_has_written(plan, reader):
    # PostgreSQL's snapshot doesn't say what this transaction wrote; SQLite's token does.
    dashboard(reader, plan)
    with transaction.atomic():
        record(Action.objects.filter(theme__plan=plan).first(), RAG.GREEN)
        counts, worked_out = dashboard(reader, plan)
        assert worked_out and counts["green"] == 1
        if connection.vendor == "postgresql":
            assert kept.data_version() is None


def test_a_write_committed_meanwhile_by_another_connection_is_seen(plan, reader):
    counted, _ = dashboard(reader, plan)
    action = Action.objects.filter(theme__plan=plan).first()

    def elsewhere():
        record(action, RAG.AMBER)
        connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()

    after, worked_out = dashboard(reader, plan)
    assert worked_out
    assert after["amber"] == counted["amber"] + 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_every_table_but_sessions_and_sign_in_logs_is_watched_on_sqlite(plan):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {}
        for table, name in cursor.fetchall():
            triggers.setdefault(table, set()).add(name)
    tables = connection.introspection.table_names()
    watched = kept.watched_tables(connection)

    assert {"actions_action", "actions_progressupdate", "themes_theme", "auth_user"} <= set(watched)
    assert "django_session" not in watched and kept.VERSION_TABLE in tables
    for table in watched:
        assert {f"kept_{table}_{event}" for event in ("insert", "update", "delete")} <= (
            triggers.get(table, set())
        ), table


def test_a_visit_reading_kept_counts_runs_one_query_fewer(plan, reader):
    url = reverse("actions:dashboard")
    counted = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            reader.get(url, {"plan": plan.slug})
        counted.append(len(queries))

    # The version comes with the plans the page reads anyway (Scope): nothing is added.
    assert counted[1] == counted[0] - 1


def test_the_rules_windows_are_part_of_what_the_counts_are_kept_under(plan, reader, settings):
    counted, _ = dashboard(reader, plan)
    assert counted["stale"] == 3  # never updated in the plan's year so far

    settings.UPDATE_WINDOW_DAYS = 1000
    longer, worked_out = dashboard(reader, plan)

    assert worked_out and longer["stale"] == 0


def late_notice(reader, plan, as_at):
    """The theme page's past-date notice, and how many queries the page ran."""
    theme = plan.themes.get()
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(
            reverse("actions:theme", args=[theme.pk]), {"as_at": as_at.isoformat()}
        )
    page = response.content.decode()
    start = page.find('id="late-entries"')
    return (page[start : page.find("</div>", start)] if start >= 0 else ""), len(queries)


def test_the_past_date_notice_is_kept_until_an_update_is_entered_late(plan, reader):
    as_at = date.today() - timedelta(days=30)
    before, first = late_notice(reader, plan, as_at)
    assert "entered after that day" not in before
    again, kept_visit = late_notice(reader, plan, as_at)
    # Its five counts and the moves query kept, and the page's actions and counts.
    assert again == before and kept_visit == first - 8

    progress_update_record(
        action=Action.objects.filter(theme__plan=plan).first(),
        reported_on=as_at - timedelta(days=1),
        status=Status.IN_PROGRESS,
        rag=RAG.GREEN,
        entered_by=UserFactory(),
        working_well="Entered late.",
    )

    after, worked_out_visit = late_notice(reader, plan, as_at)
    assert "1 update reporting on or before" in after and "was entered after that day" in after
    assert worked_out_visit == first
    assert late_notice(reader, plan, as_at) == (after, kept_visit)


def listed(reader, url, **query):
    """The references of the actions a list shows, and how many queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url, query)
    assert response.status_code == 200
    return shown_action_ids(response), len(queries)


def test_the_exception_lists_and_a_leads_page_are_kept_until_an_update_changes_them(plan, reader):
    action = Action.objects.filter(theme__plan=plan).first()
    at_risk = reverse("actions:at_risk")
    lead = reverse("actions:lead", args=[action.lead_id])
    theme = reverse("actions:theme", args=[action.theme_id])
    # A theme's page keeps its counts too (its row of the dashboard's).
    fewer = {at_risk: 1, lead: 1, theme: 2}
    first = {url: listed(reader, url, plan=plan.slug) for url in fewer}
    for url, (shown, queries) in first.items():
        # Never updated in the plan's year so far: every action is at risk.
        assert action.pk in shown
        assert listed(reader, url, plan=plan.slug) == (shown, queries - fewer[url])

    record(action, RAG.GREEN, Status.COMPLETE)

    for url, (shown, queries) in first.items():
        now_shown, now_queries = listed(reader, url, plan=plan.slug)
        # Complete: not at risk, and the lead's page lists it after those that are; the
        # theme's page lists it where it was, and counts it complete.
        assert now_queries == queries
        assert now_shown != shown or url == theme
        assert listed(reader, url, plan=plan.slug) == (now_shown, queries - fewer[url])
    assert reader.get(theme).context["counts"]["complete_or_closed"] == 1


def lists(plan):
    """Each list kept as drawn: the exception lists, grouped each way, a lead's page and a
    theme's page, with what to ask each for."""
    action = Action.objects.filter(theme__plan=plan).first()
    at_risk, overdue = reverse("actions:at_risk"), reverse("actions:overdue")
    return [
        *((at_risk, {"plan": plan.slug, "by": by}) for by in ("lead", "theme", "source")),
        (overdue, {"plan": plan.slug}),
        (reverse("actions:lead", args=[action.lead_id]), {}),
        (reverse("actions:theme", args=[action.theme_id]), {}),
        (
            reverse("actions:theme", args=[action.theme_id]),
            {"as_at": (date.today() - timedelta(days=30)).isoformat()},
        ),
    ]


def drawn(reader, url, query, monkeypatch):
    """A list's page, and how many rows it drew and how many lists of actions it built."""
    counted = {"rows": 0, "lists": 0}

    def counting(function, what):
        def counted_call(*args, **kwargs):
            counted[what] += 1
            return function(*args, **kwargs)

        return counted_call

    with monkeypatch.context() as patch:
        patch.setattr(rows, "exception_row", counting(rows.exception_row, "rows"))
        patch.setattr(rows, "action_row", counting(rows.action_row, "rows"))
        patch.setattr(ActionQuerySet, "listed", counting(ActionQuerySet.listed, "lists"))
        patch.setattr(ActionQuerySet, "with_state", counting(ActionQuerySet.with_state, "lists"))
        response = reader.get(url, query)
    assert response.status_code == 200
    # Each response's own: the nonce of its inline style, the sign-out form's token.
    page = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page), counted


def test_a_kept_list_is_the_same_page_and_neither_builds_its_list_nor_draws_a_row(
    plan, reader, monkeypatch
):
    for url, query in lists(plan):
        worked_out, first = drawn(reader, url, query, monkeypatch)
        assert first["rows"] and first["lists"], url

        again, kept_visit = drawn(reader, url, query, monkeypatch)
        assert again == worked_out, url
        assert kept_visit["rows"] == 0, url
        assert kept_visit["lists"] == 0, url


def test_a_kept_lists_drawn_rows_change_right_after_a_write(plan, reader, monkeypatch):
    action = Action.objects.filter(theme__plan=plan).first()
    before = {
        (url, str(query)): drawn(reader, url, query, monkeypatch)[0] for url, query in lists(plan)
    }

    Action.objects.filter(pk=action.pk).update(description="Described again after a write")

    for url, query in lists(plan):
        after, counted = drawn(reader, url, query, monkeypatch)
        assert counted["rows"], url
        shown_before = "Described again after a write" in before[(url, str(query))]
        assert not shown_before and "Described again after a write" in after, url


# The queries the register's filters take when they aren't kept: their five lists (plans,
# themes, leads, divisions, sources).
REGISTER_FILTERS_KEPT = 5


def register(reader, **query):
    """The register's count, the state of each action it shows, and how many queries the
    page ran."""
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(reverse("actions:register"), query)
    assert response.status_code == 200
    table = response.context["table"]
    return table.paginator.count, register_shown(table), len(queries)


def test_the_registers_page_is_kept_until_an_update_changes_it(plan, reader):
    # The last of three in id order: on the second page until it is complete.
    action = Action.objects.filter(theme__plan=plan).order_by("pk").last()
    query = {"plan": plan.slug, "sort": "status", "per_page": "2"}
    count, rows, queries = register(reader, **query)
    assert count == 3 and len(rows) == 2
    # The count and the page's rows kept: two queries fewer, and the filters' lists
    # (REGISTER_FILTERS_KEPT). However the link orders its filters, the same page.
    queries -= 2 + REGISTER_FILTERS_KEPT
    assert register(reader, **query) == (count, rows, queries)
    assert action.pk not in {pk for pk, _ in rows}
    assert register(reader, per_page="2", sort="status", plan=plan.slug) == (count, rows, queries)
    # Another page, or other filters, are their own.
    other_page = register(reader, **query, page="2")
    assert other_page[0] == 3 and len(other_page[1]) == 1
    assert {pk for pk, _ in other_page[1]}.isdisjoint(pk for pk, _ in rows)
    assert register(reader, **query, q="nothing is called this")[:2] == (0, [])

    record(action, RAG.GREEN, Status.COMPLETE)

    count_after, rows_after, queries_after = register(reader, **query)
    # Sorted by status, the complete action comes first now ("complete" before "not started").
    assert queries_after == queries + 2 + REGISTER_FILTERS_KEPT
    assert rows_after[0] == (action.pk, Status.COMPLETE) and rows_after != rows
    assert register(reader, **query) == (count_after, rows_after, queries)


def register_filters(reader):
    """The register's filters as drawn, and how many queries the page ran."""
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(reverse("actions:register"), {"sort": "ref"})
    assert response.status_code == 200
    return str(response.context["filter_fields"]), len(queries)


def test_the_registers_filters_are_kept_until_a_lead_is_added(plan, reader):
    fields, queries = register_filters(reader)
    assert "Kept counts lead" in fields
    # Its lists kept, and the page's rows.
    kept_visit = queries - REGISTER_FILTERS_KEPT - 2
    assert register_filters(reader) == (fields, kept_visit)

    LeadFactory(name="Added after the filters were kept")

    now, worked_out = register_filters(reader)
    assert "Added after the filters were kept" in now and worked_out == queries
    assert register_filters(reader) == (now, kept_visit)


def test_what_is_kept_as_drawn_keeps_the_address_the_site_is_served_at(plan, reader):
    """A site served at /cype/ and at / from the same processes: the rows' links each
    begin with the address they were asked at, kept or not."""
    action = Action.objects.filter(theme__plan=plan).first()
    for url in (reverse("actions:register"), reverse("actions:at_risk")):
        for prefix in ("/cype", "", "/cype"):
            with override_script_prefix(f"{prefix}/"):
                response = reader.get(url, {"plan": plan.slug})
            assert response.status_code == 200
            page = response.content.decode()
            assert f'href="{prefix}/actions/{action.pk}/' in page, (url, prefix)
            if prefix == "":
                assert f'href="/cype/actions/{action.pk}/' not in page, url


def action_panel(reader, action, prefix=None):
    """The action page's panel of members' items, whether a query read the items, and how
    many queries the page ran; served at `prefix` if given."""
    url = reverse("actions:detail", args=[action.pk])
    with CaptureQueriesContext(connection) as queries:
        if prefix is None:
            response = reader.get(url)
        else:
            with override_script_prefix(prefix):
                response = reader.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('aria-labelledby="scrutiny-items-heading"')
    panel = page[start : page.index("</section>", start)]
    asked = any(f'"{Item._meta.db_table}"' in query["sql"] for query in queries.captured_queries)
    return panel, asked, len(queries)


def test_the_action_pages_scrutiny_panel_is_kept_until_members_items_change(
    plan, reader, monkeypatch
):
    drawn = []
    draw = panels.render_to_string
    monkeypatch.setattr(
        panels, "render_to_string", lambda *args, **kwargs: drawn.append(1) or draw(*args, **kwargs)
    )
    action = Action.objects.filter(theme__plan=plan).first()
    # Whether any item concerns the action is read with the action: no query of its own.
    nothing, asked, first = action_panel(reader, action)
    assert "Members have raised nothing about this action" in nothing and not asked
    assert len(drawn) == 1
    # Kept: not drawn again.
    assert action_panel(reader, action) == (nothing, False, first)
    assert len(drawn) == 1

    today = date.today()
    item = ItemFactory(
        actions=[action],
        meeting=MeetingFactory(held_on=today - timedelta(days=40)),
        due_on=today - timedelta(days=5),
        words="Members asked for the kept panel figures",
    )
    raised, asked, worked_out_visit = action_panel(reader, action)
    assert "Members asked for the kept panel figures" in raised
    assert "Answer overdue" in raised and asked
    # The items with where each stands.
    assert worked_out_visit == first + 1 and len(drawn) == 2
    assert action_panel(reader, action) == (raised, False, first)
    assert len(drawn) == 2

    response_record(
        item=item, text="Here they are.", entered_by=UserFactory(), considers_answered=True
    )
    answered, asked, _ = action_panel(reader, action)
    assert asked and "Answered, awaiting the committee" in answered
    assert "Answer overdue" not in answered

    # The item's link begins with the address the page was asked at, kept or not.
    link = reverse("scrutiny:item", args=[item.pk])
    for prefix in ("/cype", "", "/cype"):
        served, _, _ = action_panel(reader, action, prefix=f"{prefix}/")
        assert f'href="{prefix}{link}"' in served, prefix
