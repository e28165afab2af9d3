from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from reports.management.shared import documents_make, plan_named
from reports.models import QuarterlyReport, ReportDocument


class Command(BaseCommand):
    help = (
        "Make and keep the Word and PDF files of every published quarterly report that "
        "doesn't have them yet (a report published in the browser has them made at their "
        "first download, which for a large plan takes a minute or more), so no reader waits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Only this plan's reports (its slug).")

    def handle(self, *args, plan=None, **options):
        reports = QuarterlyReport.objects.annotate(files=Count("documents")).filter(
            files__lt=len(ReportDocument.Kind.choices)
        )
        if plan is not None:
            reports = reports.filter(plan=plan_named(plan))
        missing = list(reports.order_by("plan_name", "quarter_ends_on", "version"))
        if not missing:
            self.stdout.write("Every published report's Word and PDF files are made already.")
            return
        failed = sum(documents_make(report, self.stdout) for report in missing)
        if failed:
            raise CommandError(f"{failed} file{'s' if failed != 1 else ''} could not be made.")
