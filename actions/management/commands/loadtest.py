"""Load a real server: gunicorn on the loopback, serving a synthetic plan from a throwaway
database, with N signed-in readers each opening a fixed mix of pages for a fixed time.

Prints requests per second, the 50th/95th/99th percentiles and errors, overall and per
page, beside the floor page (cypeplan/benchmark.py) measured in the same run.
"""

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone

from actions.demo import demo_database_settle, demo_plan_generate
from actions.management.benchmark import (
    FLOOR,
    PAGES,
    demo_sample,
    demo_visitors,
    page_url,
    percentile,
)

# The mix each reader repeats, by page name (benchmark_pages.PAGES), with weights: what
# councillors and officers open most, the floor page among them.
MIX = {
    "floor": 2,
    "dashboard": 3,
    "overdue by lead": 2,
    "at risk by theme": 2,
    "register": 2,
    "action": 3,
    "lead (busiest)": 1,
    "theme (largest)": 1,
    "my actions": 1,
}
# p95 of every page against the floor's, in the same run (issue 11's target).
P95_TIMES_FLOOR = 3


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """DATABASE_URL for the throwaway database this process made."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    original = urlparse(os.environ["DATABASE_URL"])
    return original._replace(path=f"/{database['NAME']}").geturl()


def session_cookie(user):
    """A signed-in session for `user`, as signing in would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Reader(threading.Thread):
    """One signed-in reader on one keep-alive connection, opening the mix until `stop`."""

    def __init__(self, port, urls, cookies, stop, seed):
        super().__init__(daemon=True)
        self.port, self.urls, self.cookies, self.stop = port, urls, cookies, stop
        self.random = random.Random(seed)
        self.results = []  # (page, milliseconds, status or error)

    def run(self):
        names = [name for name, weight in MIX.items() for _ in range(weight)]
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            name = self.random.choice(names)
            url, visitor = self.urls[name]
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Cookie": self.cookies[visitor]})
                response = connection.getresponse()
                response.read()
                outcome = response.status
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.results.append((name, (time.perf_counter() - started) * 1000, outcome))
        connection.close()


class Command(BaseCommand):
    help = (
        "Run gunicorn on the loopback over a synthetic plan in a throwaway database and "
        "load it with signed-in readers; print requests/s, percentiles and errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=10000)
        parser.add_argument("--updates-per-action", type=int, default=10)
        parser.add_argument("--readers", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")
        parser.add_argument("--seconds", type=int, default=30, help="How long to load it.")

    def handle(self, *args, actions, updates_per_action, readers, workers, seconds, **options):
        if min(actions, readers, workers, seconds) < 1:
            raise CommandError("--actions, --readers, --workers and --seconds must be >= 1.")
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        self.stdout.write("Making a throwaway test database (the real one is not touched)…")
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        try:
            self.stdout.write(f"Generating {actions:,} actions x {updates_per_action} updates…")
            plan = demo_plan_generate(
                actions=actions, updates_per_action=updates_per_action, replace=True
            )
            demo_database_settle()
            sample = demo_sample(plan)
            visitors = demo_visitors(sample)
            cookies = {role: session_cookie(user) for role, user in visitors.items()}
            as_at = timezone.localdate()
            by_name = {page.name: page for page in [FLOOR, *PAGES]}
            with override_settings(ROOT_URLCONF="cypeplan.benchmark"):
                urls = {
                    name: (page_url(by_name[name], plan=plan, sample=sample, as_at=as_at),
                           by_name[name].visitor)
                    for name in MIX
                }  # fmt: skip
            results, elapsed = self.load(urls, cookies, readers, workers, seconds)
        finally:
            connection.close()
            teardown_databases(old_config, verbosity=0)
        self.report(results, elapsed, actions, readers, workers)

    def load(self, urls, cookies, readers, workers, seconds):
        port = free_port()
        environment = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database_url(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HTTPS": "0",
            "SECURE_COOKIES": "0",
            "ROOT_URLCONF": "cypeplan.benchmark",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn), "cypeplan.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--timeout", "120", "--log-level", "warning",
        ]  # fmt: skip
        self.stdout.write(f"Starting gunicorn with {workers} workers on 127.0.0.1:{port}…")
        server = subprocess.Popen(command, env=environment, start_new_session=True)
        try:
            self.wait_for(port, server)
            # One request per page first: each answers 200 before the load starts.
            for name in MIX:
                url, visitor = urls[name]
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request("GET", url, headers={"Cookie": cookies[visitor]})
                status = conn.getresponse().status
                conn.close()
                if status != 200:
                    raise CommandError(f"{name}: {url} answered {status} before the load.")
            self.stdout.write(f"{readers} readers for {seconds} s…")
            stop = threading.Event()
            threads = [Reader(port, urls, cookies, stop, seed=number) for number in range(readers)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread in threads:
                thread.join(timeout=130)
            elapsed = time.perf_counter() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        return [result for thread in threads for result in thread.results], elapsed

    def wait_for(self, port, server, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped before it answered.")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError("gunicorn didn't answer /healthz within a minute.")

    def report(self, results, elapsed, actions, readers, workers):
        write = self.stdout.write
        errors = [result for result in results if result[2] != 200]
        write(
            f"\n{connection.display_name}, {actions:,} actions, gunicorn {workers} workers, "
            f"{readers} readers for {elapsed:.0f} s: {len(results):,} requests, "
            f"{len(results) / elapsed:.1f} requests/s, {len(errors)} errors.\n"
        )
        by_page = defaultdict(list)
        for name, milliseconds, _ in results:
            by_page[name].append(milliseconds)
        by_page["all pages"] = [milliseconds for _, milliseconds, _ in results]
        floor_p95 = percentile(by_page["floor"], 0.95) if by_page["floor"] else None
        header = (
            f"{'page':<18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'p95/floor':>9}"
        )
        write(header)
        write("-" * len(header))
        for name, timings in by_page.items():
            p95 = percentile(timings, 0.95)
            ratio = f"{p95 / floor_p95:>9.1f}" if floor_p95 else ""
            write(
                f"{name:<18} {len(timings):>8} {statistics.median(timings):>8.0f} {p95:>8.0f} "
                f"{percentile(timings, 0.99):>8.0f} {ratio}"
            )
        for name, _, outcome in errors[:10]:
            write(f"error: {name}: {outcome}")
        if floor_p95:
            worst = max(percentile(by_page[name], 0.95) for name in MIX if by_page[name])
            write(
                f"\nWorst page p95 ÷ floor p95: {worst / floor_p95:.1f} "
                f"(target ≤ {P95_TIMES_FLOOR}); errors: {len(errors)} (target 0)."
            )
