"""Time publishing a quarterly report, its page and each download, over synthetic plans.

Like benchmark_pages, it runs on a throwaway test database made beside the configured one
(SQLite by default; PostgreSQL when DATABASE_URL says so) and never touches the real one.
"""

import statistics
import time
import warnings

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases
from django.urls import reverse
from django.utils import timezone

from actions.demo import demo_plan_delete, demo_plan_generate
from actions.roles import SCRUTINY_MEMBERS
from reports.models import QuarterlyReport
from reports.services import quarterly_report_publish
from themes.periods import Quarter

DOWNLOADS = (
    ("report page", "reports:detail"),
    ("report Word", "reports:docx"),
    ("report PDF", "reports:pdf"),
)


class Command(BaseCommand):
    help = (
        "Time publishing a quarterly report and reading its page, Word and PDF over "
        "synthetic plans of each size, on a throwaway test database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
        parser.add_argument("--updates-per-action", type=int, default=10)
        parser.add_argument(
            "--repeat", type=int, default=3, help="Timed runs of each (documents are slow)."
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, sizes, updates_per_action, repeat, seed, **options):
        if repeat < 1 or min(sizes) < 1:
            raise CommandError("--repeat and every size must be at least 1.")
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        self.stdout.write("Making a throwaway test database (the real one is not touched)…")
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        rows = []
        try:
            with override_settings(
                DEBUG=False,
                ALLOWED_HOSTS=["testserver"],
                # Time each file's making, which a download of a large report leaves to
                # a process of its own (make_report_documents): here the first download
                # makes it, however long that takes.
                REPORT_DOCUMENTS_MADE_WHILE_WAITING=max(sizes),
                STORAGES={
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                },
            ):
                for size in sizes:
                    rows += self.benchmark(size, updates_per_action, repeat, seed)
        finally:
            teardown_databases(old_config, verbosity=0)
        self.report(rows, updates_per_action, repeat)

    def benchmark(self, size, updates_per_action, repeat, seed):
        today = timezone.localdate()
        self.stdout.write(f"Generating {size:,} actions x {updates_per_action} updates…")
        plan = demo_plan_generate(
            actions=size,
            updates_per_action=updates_per_action,
            seed=seed,
            as_at=today,
            replace=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        quarter_end = Quarter.containing(today).previous.ends_on
        member, _ = get_user_model().objects.get_or_create(username="benchmark-member")
        member.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
        client = Client()
        client.force_login(member)

        rows = []
        timings, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                report = quarterly_report_publish(plan=plan, quarter_ends_on=quarter_end)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        rows.append(self.row("publish", size, timings, queries, 0))
        self.stdout.write(f"  publish: {rows[-1]['median']:.0f} ms")

        for name, url_name in DOWNLOADS:
            url = reverse(url_name, args=[report.pk])
            # The first request makes the file (a download is then stored): timed alone.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                first = (time.perf_counter() - started) * 1000
            queries = len(captured)
            if response.status_code != 200:
                raise CommandError(f"{name}: {url} answered {response.status_code}.")
            if url_name != "reports:detail":
                rows.append(
                    self.row(f"{name}, made", size, [first], queries, len(response.content))
                )
                self.stdout.write(f"  {name}, made: {first:.0f} ms")
                name = f"{name}, stored"
            timings = []
            for _ in range(repeat):
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                queries = len(captured)
            rows.append(self.row(name, size, timings, queries, len(response.content)))
            self.stdout.write(f"  {name}: {rows[-1]['median']:.0f} ms")
        # The reports go with their plan; a superuser's job, so say so to the guard.
        superuser = get_user_model()(is_superuser=True, is_active=True)
        for published in QuarterlyReport.objects.filter(plan=plan).order_by("-version"):
            published.delete(deleted_by=superuser)
        demo_plan_delete(plan=plan)
        return rows

    @staticmethod
    def row(name, size, timings, queries, size_bytes):
        return {
            "name": name,
            "size": size,
            "database": connection.vendor,
            "median": statistics.median(timings),
            "slowest": max(timings),
            "queries": queries,
            "kb": size_bytes / 1024,
        }

    def report(self, rows, updates_per_action, repeat):
        self.stdout.write(
            f"\nQuarterly reports: median and slowest of {repeat} runs; a download's first "
            "request makes and stores the file (timed once, as made), later ones serve it "
            f"(as stored); {updates_per_action} updates per action.\n"
        )
        header = (
            f"{'what':<20} {'size':>7} {'database':<10} {'median ms':>10} {'slowest ms':>10} "
            f"{'queries':>8} {'KB':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            self.stdout.write(
                f"{row['name']:<20} {row['size']:>7,} {row['database']:<10} "
                f"{row['median']:>10.0f} {row['slowest']:>10.0f} {row['queries']:>8} "
                f"{row['kb']:>8.0f}"
            )
