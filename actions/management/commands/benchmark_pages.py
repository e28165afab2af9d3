"""Time every page over synthetic plans of several sizes.

It runs on a throwaway test database made beside the one settings point at (SQLite by
default; PostgreSQL when DATABASE_URL says so), and never touches the real one.
"""

import math
import statistics
import time
import warnings
from dataclasses import dataclass, field
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

from actions.demo import demo_plan_delete, demo_plan_generate
from actions.models import Action, Lead
from actions.roles import OFFICERS, SCRUTINY_MEMBERS


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
    Page("register CSV", "actions:register", query={"_export": "csv"}),
    Page("register XLSX", "actions:register", query={"_export": "xlsx"}),
    Page("action", "actions:detail", about="action"),
    Page("lead (busiest)", "actions:lead", about="lead"),
    Page("theme (largest)", "actions:theme", about="theme"),
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


def visit(client, url):
    """(response, body): the body read whole, as a browser would, streamed or not."""
    response = client.get(url)
    return response, b"".join(response) if response.streaming else response.content


def percentile(values, share):
    """Nearest-rank percentile: the smallest value at least `share` of them are at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = (
        "Time every page over synthetic plans of each size, on a throwaway test database "
        "beside the configured one (set DATABASE_URL to benchmark PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
        parser.add_argument("--updates-per-action", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per page.")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, sizes, updates_per_action, repeat, seed, **options):
        if repeat < 1 or min(sizes) < 1:
            raise CommandError("--repeat and every size must be at least 1.")
        # WhiteNoise warns, once per client, that nothing has been collected yet.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        self.stdout.write("Making a throwaway test database (the real one is not touched)…")
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        try:
            # As in production: DEBUG off (no query log), plain static files, and the
            # test client's host allowed.
            with override_settings(
                DEBUG=False,
                ALLOWED_HOSTS=["testserver"],
                STORAGES={
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                },
            ):
                rows, generated = [], {}
                for size in sizes:
                    generated[size], timed = self.benchmark(size, updates_per_action, repeat, seed)
                    rows += timed
        finally:
            teardown_databases(old_config, verbosity=0)
        self.report(rows, generated, updates_per_action, repeat)

    def benchmark(self, size, updates_per_action, repeat, seed):
        as_at = timezone.localdate()
        self.stdout.write(f"Generating {size:,} actions x {updates_per_action} updates…")
        started = time.perf_counter()
        plan = demo_plan_generate(
            actions=size,
            updates_per_action=updates_per_action,
            seed=seed,
            as_at=as_at,
            replace=True,
        )
        generated = time.perf_counter() - started
        self.stdout.write(f"  generated in {generated:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        version = ".".join(str(part) for part in connection.get_database_version())
        self.database = f"{connection.display_name} {version}"
        sample = demo_sample(plan)
        clients = {}
        for role, user in demo_visitors(sample).items():
            clients[role] = Client()
            clients[role].force_login(user)

        rows = []
        for page in PAGES:
            client = clients[page.visitor]
            url = page_url(page, plan=plan, sample=sample, as_at=as_at)
            # The query log keeps only the last 9,000 queries (migrate filled it), and
            # CaptureQueriesContext counts by its length.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                response, content = visit(client, url)
            # Counted now: the next request's request_started empties the log.
            query_count = len(queries)
            if response.status_code != 200:
                raise CommandError(f"{page.name}: {url} answered {response.status_code}.")
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                response, content = visit(client, url)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{page.name}: {url} answered {response.status_code}.")
            rows.append(
                {
                    "page": page.name,
                    "size": size,
                    "database": connection.vendor,
                    "median": statistics.median(timings),
                    "p95": percentile(timings, 0.95),
                    "queries": query_count,
                    "kb": len(content) / 1024,
                }
            )
            self.stdout.write(f"  {page.name}: {rows[-1]['median']:.0f} ms")
        # The next size gets the database to itself, as the lead page reads every plan.
        demo_plan_delete(plan=plan)
        return generated, rows

    def report(self, rows, generated, updates_per_action, repeat):
        self.stdout.write(
            f"\n{self.database}: median and 95th percentile of {repeat} requests after one "
            f"warm-up (which counts the queries), {updates_per_action} updates per action, "
            "as at today.\n"
        )
        header = (
            f"{'page':<20} {'size':>7} {'database':<10} {'median ms':>10} {'p95 ms':>8} "
            f"{'queries':>8} {'KB':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            self.stdout.write(
                f"{row['page']:<20} {row['size']:>7,} {row['database']:<10} "
                f"{row['median']:>10.1f} {row['p95']:>8.1f} {row['queries']:>8} "
                f"{row['kb']:>8.1f}"
            )
        for size, seconds in generated.items():
            self.stdout.write(
                f"Generating {size:,} actions x {updates_per_action} updates took {seconds:.1f} s."
            )
