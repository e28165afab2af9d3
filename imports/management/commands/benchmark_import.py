import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone

from actions.demo import demo_plan_delete, demo_plan_generate
from imports.layout import PLAN_COLUMNS, plan_rows, workbook
from imports.plans import compare, plan_import_write
from imports.reading import read_table


class Command(BaseCommand):
    help = (
        "Time importing a synthetic plan of 1,000 and 10,000 actions from a spreadsheet: "
        "reading and previewing it, writing it as a new plan, and importing the same file "
        "again (nothing changes). On a throwaway test database beside the configured one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])

    def handle(self, *args, sizes, **options):
        if min(sizes) < 1:
            raise CommandError("Every size must be at least 1.")
        self.stdout.write("Making a throwaway test database (the real one is not touched)…")
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        try:
            user = get_user_model().objects.create_user("benchmark")
            results = [self.benchmark(size, user) for size in sizes]
        finally:
            teardown_databases(old_config, verbosity=0)
        version = ".".join(str(part) for part in connection.get_database_version())
        self.stdout.write(f"\n{connection.display_name} {version}: seconds per step.\n")
        header = (
            f"{'actions':>8} {'file KB':>8} {'read':>7} {'preview':>8} {'write':>7} "
            f"{'again: read + preview':>22}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in results:
            self.stdout.write(
                f"{row['size']:>8,} {row['kb']:>8.0f} {row['read']:>7.2f} {row['preview']:>8.2f} "
                f"{row['write']:>7.2f} {row['again']:>22.2f}"
            )

    def benchmark(self, size, user):
        self.stdout.write(f"Generating {size:,} actions…")
        plan = demo_plan_generate(
            actions=size, updates_per_action=0, as_at=timezone.localdate(), replace=True
        )
        name = f"Synthetic import benchmark: {size:,} actions (generated, not a council plan)"
        rows = [{**row, "plan": name} for row in plan_rows(plan)]
        data = workbook(rows)
        demo_plan_delete(plan=plan)
        slug = f"synthetic-import-{size}"

        started = time.perf_counter()
        table = read_table("plan.xlsx", data, PLAN_COLUMNS)
        read = time.perf_counter() - started
        started = time.perf_counter()
        preview = compare(table, plan_slug=slug)
        previewed = time.perf_counter() - started
        if preview["errors"]:
            raise CommandError("\n".join(preview["errors"][:10]))
        started = time.perf_counter()
        with transaction.atomic():
            plan_import_write(preview=preview, user=user, file_name="plan.xlsx")
        written = time.perf_counter() - started
        started = time.perf_counter()
        again = compare(read_table("plan.xlsx", data, PLAN_COLUMNS), plan_slug=slug)
        repeated = time.perf_counter() - started
        if again["changes_anything"]:
            raise CommandError("Importing the same file again would change something.")
        self.stdout.write(f"  {size:,}: preview {previewed:.1f} s, write {written:.1f} s")
        return {
            "size": size,
            "kb": len(data) / 1024,
            "read": read,
            "preview": previewed,
            "write": written,
            "again": repeated,
        }
