"""Time every page over synthetic plans of several sizes, as at today and a past date,
beside a floor page and hand-written reference queries measured in the same run.

It runs on a throwaway test database made beside the one settings point at (SQLite by
default; PostgreSQL when DATABASE_URL says so), and never touches the real one.

To add your own timings: a page a reader GETs goes in PAGES (and its query count in
tests/test_query_counts.py); any other work (publishing a report, an import) goes in
TASKS as Task(name, run), where run(plan=, sample=, as_at=) does the work once. Apps
beside actions append to them in their AppConfig.ready().
"""

import math
import statistics
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
from django.urls import reverse
from django.utils import timezone

from actions.demo import demo_database_settle, demo_plan_delete, demo_plan_generate
from actions.downloads import download_queryset
from actions.management.benchmark_references import dashboard_reference, download_reference
from actions.models import Action, Lead
from actions.models.rules import counts_from_themes
from actions.roles import OFFICERS, SCRUTINY_MEMBERS
from cypeplan.workers import settle


@dataclass(frozen=True)
class Page:
    """A page to visit: `about` names the sample object whose id its address takes."""

    name: str
    url_name: str
    about: str | None = None
    query: dict = field(default_factory=dict)
    visitor: str = "member"


# Every page a reader opens. Adding a page here adds it to `make bench` and, once its
# query count is written down, to tests/test_query_counts.py.
PAGES = [
    Page("dashboard", "actions:dashboard"),
    Page("overdue by lead", "actions:overdue", query={"by": "lead"}),
    Page("overdue by theme", "actions:overdue", query={"by": "theme"}),
    Page("at risk by lead", "actions:at_risk", query={"by": "lead"}),
    Page("at risk by theme", "actions:at_risk", query={"by": "theme"}),
    Page("overdue by lead CSV", "actions:overdue", query={"by": "lead", "_export": "csv"}),
    Page("at risk by theme XLSX", "actions:at_risk", query={"by": "theme", "_export": "xlsx"}),
    Page("register", "actions:register"),
    Page("register, overdue", "actions:register", query={"overdue": "yes"}),
    # Words typed as people type them: no accents, another case, a curly apostrophe.
    Page("register, search", "actions:register", query={"q": "EARLY help"}),
    Page("register, search (no match)", "actions:register", query={"q": "Róisín children’s"}),
    Page("register CSV", "actions:register", query={"_export": "csv"}),
    Page("register XLSX", "actions:register", query={"_export": "xlsx"}),
    Page("action", "actions:detail", about="action"),
    Page("lead (busiest)", "actions:lead", about="lead"),
    Page("theme (largest)", "actions:theme", about="theme"),
    Page("late entries", "actions:late_entries"),
    Page("my actions", "actions:my_actions", visitor="officer"),
    Page("record an update", "actions:record_update", about="action", visitor="officer"),
]


def demo_sample(plan):
    """The ids of the plan's busiest lead, that lead's action with the most updates, and
    the plan's largest theme: the heaviest pages of each kind."""
    lead = (
        Lead.objects.annotate(led=Count("actions", filter=Q(actions__theme__plan=plan)))
        .order_by("-led", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    action = (
        Action.objects.filter(theme__plan=plan, lead=lead)
        .annotate(updates=Count("progress_updates"))
        .order_by("-updates", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    theme = (
        plan.themes.annotate(size=Count("actions"))
        .order_by("-size", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {"action": action, "lead": lead, "theme": theme}


def demo_visitors(sample):
    """A scrutiny member, and an officer who is the sample's busiest lead, by Page.visitor."""
    User = get_user_model()
    member, _ = User.objects.get_or_create(username="benchmark-member")
    member.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
    officer, _ = User.objects.get_or_create(username="benchmark-officer")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    Lead.objects.filter(user=officer).update(user=None)
    Lead.objects.filter(pk=sample["lead"]).update(user=officer)
    return {"member": member, "officer": officer}


def page_url(page, *, plan, sample, as_at):
    args = [sample[page.about]] if page.about else []
    query = {"plan": plan.slug, "as_at": as_at.isoformat(), **page.query}
    return f"{reverse(page.url_name, args=args)}?{urlencode(query)}"


@dataclass(frozen=True)
class Task:
    """Work that is not a page, timed as at each date: run(plan=, sample=, as_at=)."""

    name: str
    run: Callable


TASKS: list[Task] = []

# The floor every page is compared with (cypeplan/benchmark.py): signed in, the same
# permission check, a tiny template.
FLOOR = Page("floor", "benchmark_floor")
# How far back "a past date" is.
PAST = timedelta(days=365)


def visit(client, url):
    """(response, size in bytes): the body read as a browser would, streamed or not,
    without keeping it (so peak memory is the server's, not the reader's)."""
    response = client.get(url)
    if response.streaming:
        return response, sum(len(chunk) for chunk in response)
    return response, len(response.content)


def timed(repeat, run, *args, **kwargs):
    """Milliseconds of each of `repeat` calls of run(*args, **kwargs)."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(*args, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def app_dashboard_queries(plan, as_at):
    """What the dashboard asks the database for: its counts and RAG by theme, in one query."""
    themes = list(Action.objects.filter(theme__plan=plan).rag_by_theme(as_at))
    return counts_from_themes(themes), themes


def app_download_query(plan, as_at):
    """The register download's one query for the plan, read to the end; returns rows."""
    actions = (
        Action.objects.filter(theme__plan=plan)
        .with_state(as_at)
        .order_by("theme__plan__name", "theme__position", "position")
    )
    sql, params = download_queryset(actions).query.sql_with_params()
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            count += len(chunk)
    return count


def check_against_references(plan, as_at):
    """Stop the benchmark if the app's figures differ from the hand-written ones."""
    counts, themes = app_dashboard_queries(plan, as_at)
    totals, by_theme = dashboard_reference(plan, as_at)
    mine = {name: counts[name] for name in totals}
    if mine != totals:
        raise CommandError(f"The dashboard's counts {mine} differ from the reference {totals}.")
    fields = ("red", "amber", "green", "not_rated", "complete", "closed", "total")
    mine = {theme["theme_id"]: tuple(theme[name] for name in fields) for theme in themes}
    if mine != by_theme:
        raise CommandError("The dashboard's RAG by theme differs from the reference.")
    if app_download_query(plan, as_at) != download_reference(plan, as_at):
        raise CommandError("The download's rows differ in number from the reference.")


# The app's queries and the hand-written floor for the same answer.
REFERENCES = [
    ("dashboard SQL", app_dashboard_queries, dashboard_reference),
    ("download SQL", app_download_query, download_reference),
]


def percentile(values, share):
    """Nearest-rank percentile: the smallest value at least `share` of them are at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = (
        "Time every page over synthetic plans of each size, as at today and a year ago, "
        "beside a floor page and hand-written reference queries, on a throwaway test "
        "database beside the configured one (set DATABASE_URL to benchmark PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
        parser.add_argument("--updates-per-action", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per page.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--today-only", action="store_true", help="Skip the pages as at a past date."
        )
        parser.add_argument(
            "--pages", nargs="+", default=None, help="Only the pages with these names."
        )

    def handle(self, *args, sizes, updates_per_action, repeat, seed, today_only, **options):
        if repeat < 1 or min(sizes) < 1:
            raise CommandError("--repeat and every size must be at least 1.")
        self.only = options["pages"]
        # WhiteNoise warns, once per client, that nothing has been collected yet.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        self.stdout.write("Making a throwaway test database (the real one is not touched)…")
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        try:
            # As in production: DEBUG off (no query log), plain static files, the test
            # client's host allowed; plus the floor page.
            with override_settings(
                DEBUG=False,
                ALLOWED_HOSTS=["testserver"],
                ROOT_URLCONF="cypeplan.benchmark",
                STORAGES={
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                },
            ):
                results = Results()
                for size in sizes:
                    self.benchmark(results, size, updates_per_action, repeat, seed, today_only)
        finally:
            teardown_databases(old_config, verbosity=0)
        results.report(self.stdout, self.database, updates_per_action, repeat, sizes)

    def benchmark(self, results, size, updates_per_action, repeat, seed, today_only):
        today = timezone.localdate()
        self.stdout.write(f"Generating {size:,} actions x {updates_per_action} updates…")
        started = time.perf_counter()
        plan = demo_plan_generate(
            actions=size,
            updates_per_action=updates_per_action,
            seed=seed,
            as_at=today,
            replace=True,
        )
        results.generated[size] = time.perf_counter() - started
        self.stdout.write(f"  generated in {results.generated[size]:.1f} s")
        demo_database_settle()
        version = ".".join(str(part) for part in connection.get_database_version())
        self.database = f"{connection.display_name} {version}"
        sample = demo_sample(plan)
        clients = {}
        for role, user in demo_visitors(sample).items():
            clients[role] = Client()
            clients[role].force_login(user)
        # As a server's worker does before it serves anything (cypeplan/wsgi.py).
        settle()

        dates = {"today": today} if today_only else {"today": today, "past": today - PAST}
        pages = [page for page in PAGES if self.only is None or page.name in self.only]
        for when, as_at in dates.items():
            check_against_references(plan, as_at)
            for page in [FLOOR, *pages]:
                url = page_url(page, plan=plan, sample=sample, as_at=as_at)
                row = self.time_page(clients[page.visitor], page, url, repeat)
                results.pages.append({"size": size, "when": when, **row})
                self.stdout.write(f"  {page.name}, {when}: {row['median']:.0f} ms")
            for name, app, reference in REFERENCES:
                app_ms = statistics.median(timed(repeat, app, plan, as_at))
                ref_ms = statistics.median(timed(repeat, reference, plan, as_at))
                results.references.append(
                    {"name": name, "size": size, "when": when, "app": app_ms, "ref": ref_ms}
                )
            for task in TASKS:
                timings = timed(repeat, task.run, plan=plan, sample=sample, as_at=as_at)
                results.pages.append(
                    {
                        "size": size,
                        "when": when,
                        "page": task.name,
                        "queries": None,
                        "kb": 0,
                        "peak_kb": None,
                        "median": statistics.median(timings),
                        "p95": percentile(timings, 0.95),
                    }
                )
        # The next size gets the database to itself, as the lead page reads every plan.
        demo_plan_delete(plan=plan)

    def time_page(self, client, page, url, repeat):
        # The query log keeps only the last 9,000 queries (migrate filled it), and
        # CaptureQueriesContext counts by its length.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response, size = visit(client, url)
        # Counted now: the next request's request_started empties the log.
        query_count = len(queries)
        if response.status_code != 200:
            raise CommandError(f"{page.name}: {url} answered {response.status_code}.")
        peak_kb = None
        if page.query.get("_export"):
            tracemalloc.start()
            visit(client, url)
            peak_kb = tracemalloc.get_traced_memory()[1] / 1024
            tracemalloc.stop()
        statuses = set()

        def run():
            response, _ = visit(client, url)
            statuses.add(response.status_code)

        timings = timed(repeat, run)
        if statuses != {200}:
            raise CommandError(f"{page.name}: {url} answered {statuses}.")
        return {
            "page": page.name,
            "median": statistics.median(timings),
            "p95": percentile(timings, 0.95),
            "queries": query_count,
            "kb": size / 1024,
            "peak_kb": peak_kb,
        }


# The targets of issue 11, printed beside each figure.
TODAY_SCALING, PAST_SCALING, FLOOR_TIMES, REFERENCE_TIMES, XLSX_TIMES = 1.5, 2.5, 10, 1.5, 3


@dataclass
class Results:
    pages: list = field(default_factory=list)
    references: list = field(default_factory=list)
    generated: dict = field(default_factory=dict)

    def median(self, page, size, when):
        for row in self.pages:
            if (row["page"], row["size"], row["when"]) == (page, size, when):
                return row["median"]
        return None

    def report(self, out, database, updates_per_action, repeat, sizes):
        write = out.write
        write(
            f"\n{database}: median and 95th percentile of {repeat} requests after one "
            f"warm-up (which counts the queries), {updates_per_action} updates per action; "
            f"as at today and as at {PAST.days} days ago. “x floor” divides by the floor "
            "page's median in the same run.\n"
        )
        header = (
            f"{'page':<22} {'size':>7} {'as at':<6} {'median ms':>10} {'p95 ms':>8} "
            f"{'queries':>8} {'KB':>8} {'x floor':>8} {'peak KB':>8}"
        )
        write(header)
        write("-" * len(header))
        for row in self.pages:
            floor = self.median("floor", row["size"], row["when"])
            peak = "" if row["peak_kb"] is None else f"{row['peak_kb']:.0f}"
            queries = "" if row["queries"] is None else row["queries"]
            write(
                f"{row['page']:<22} {row['size']:>7,} {row['when']:<6} {row['median']:>10.1f} "
                f"{row['p95']:>8.1f} {queries:>8} {row['kb']:>8.1f} "
                f"{row['median'] / floor:>8.1f} {peak:>8}"
            )
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            write(
                f"\nScaling: median at {large:,} ÷ median at {small:,} (target ≤ "
                f"{TODAY_SCALING} as at today, ≤ {PAST_SCALING} as at a past date), and "
                f"x floor at {large:,} (target ≤ {FLOOR_TIMES}).\n"
            )
            header = f"{'page':<22} {'as at':<6} {'large/small':>12} {'x floor':>8}  verdict"
            write(header)
            write("-" * len(header))
            for row in self.pages:
                if row["size"] != large or row["page"] == "floor":
                    continue
                before = self.median(row["page"], small, row["when"])
                if before is None:
                    continue
                ratio = row["median"] / before
                times_floor = row["median"] / self.median("floor", large, row["when"])
                limit = TODAY_SCALING if row["when"] == "today" else PAST_SCALING
                verdict = "ok" if ratio <= limit and times_floor <= FLOOR_TIMES else "MISSED"
                write(
                    f"{row['page']:<22} {row['when']:<6} {ratio:>12.2f} {times_floor:>8.1f}  "
                    f"{verdict}"
                )
        write(
            f"\nThe app's SQL beside hand-written SQL giving the same answer (checked), "
            f"median ms (target ≤ {REFERENCE_TIMES}x).\n"
        )
        header = f"{'query':<16} {'size':>7} {'as at':<6} {'app ms':>8} {'hand ms':>8} {'ratio':>6}"
        write(header)
        write("-" * len(header))
        for row in self.references:
            write(
                f"{row['name']:<16} {row['size']:>7,} {row['when']:<6} {row['app']:>8.1f} "
                f"{row['ref']:>8.1f} {row['app'] / row['ref']:>6.2f}"
            )
        pairs = [("register CSV", "register XLSX"), ("overdue by lead CSV", None)]
        write(f"\nDownloads: XLSX ÷ CSV of the same rows (target ≤ {XLSX_TIMES}).")
        for size in sizes:
            for when in ("today", "past"):
                csv_ms = self.median(pairs[0][0], size, when)
                xlsx_ms = self.median(pairs[0][1], size, when)
                if csv_ms and xlsx_ms:
                    write(
                        f"  {size:,} actions, {when}: CSV {csv_ms:.0f} ms, XLSX {xlsx_ms:.0f} ms, "
                        f"ratio {xlsx_ms / csv_ms:.2f}"
                    )
        for size, seconds in self.generated.items():
            write(
                f"Generating {size:,} actions x {updates_per_action} updates took {seconds:.1f} s."
            )
