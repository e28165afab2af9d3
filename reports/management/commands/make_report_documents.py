from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count

from reports.management.shared import documents_make, plan_named
from reports.models import QuarterlyReport, ReportDocument


class Command(BaseCommand):
    help = (
        "Make and keep the Word and PDF files of every published quarterly report that "
        "doesn't have them yet (a large report's take minutes: publishing one in the browser "
        "starts this for it), so no reader waits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Only this plan's reports (its slug).")
        parser.add_argument("--report", type=int, help="Only this report (its number).")
        parser.add_argument(
            "--database-name",
            help="Make nothing unless the database is this one (as the app names it).",
        )

    def handle(self, *args, plan=None, report=None, database_name=None, **options):
        here = str(connection.settings_dict["NAME"])
        if database_name is not None and database_name != here:
            raise CommandError(
                f"Asked to make files in the database “{database_name}”, but this one is "
                f"“{here}”: nothing was made."
            )
        reports = QuarterlyReport.objects.annotate(files=Count("documents")).filter(
            files__lt=len(ReportDocument.Kind.choices)
        )
        if plan is not None:
            reports = reports.filter(plan=plan_named(plan))
        if report is not None:
            if not QuarterlyReport.objects.filter(pk=report).exists():
                raise CommandError(f"There is no published report number {report}.")
            reports = reports.filter(pk=report)
        missing = list(reports.order_by("plan_name", "quarter_ends_on", "version"))
        if not missing:
            self.stdout.write("Every published report's Word and PDF files are made already.")
            return
        failed = sum(documents_make(report, self.stdout) for report in missing)
        if failed:
            raise CommandError(f"{failed} file{'s' if failed != 1 else ''} could not be made.")
