"""Time every page over synthetic plans of several sizes, as at today and a past date,
beside a floor page and hand-written reference queries measured in the same run.

It runs on a throwaway test database made beside the one settings point at (SQLite by
default; PostgreSQL when DATABASE_URL says so), and never touches the real one.

To time another page a reader GETs, add it to PAGES (actions/management/benchmark/
pages.py) and its query count to tests/test_query_counts.py. Work that isn't a page has
its own commands: benchmark_reports (publishing, the Word and PDF files) and
benchmark_import (plan spreadsheets).
"""

import statistics
import time
import tracemalloc
import warnings

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
from django.utils import timezone

from actions.demo import demo_database_settle, demo_plan_delete, demo_plan_generate
from actions.management.benchmark import (
    FLOOR,
    PAGES,
    PAST,
    REFERENCES,
    Results,
    check_against_references,
    demo_sample,
    demo_visitors,
    page_url,
    percentile,
    timed,
    visit,
)
from cypeplan.workers import settle


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
        # The next size gets the database to itself, as the lead page reads every plan.
        demo_plan_delete(plan=plan)

    def time_page(self, client, page, url, repeat):
        # The query log keeps only the last 9,000 queries (migrate filled it), and
        # CaptureQueriesContext counts by its length.
        connection.queries_log.clear()
        cache.clear()
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

        timings = timed(repeat, run, before=None if page.kept else cache.clear)
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
