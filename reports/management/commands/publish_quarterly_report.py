from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actions.views.scope import read_as_at
from reports.forms import header_initial
from reports.management.shared import documents_make, plan_named
from reports.models import HEADER_FIELDS, QuarterlyReport
from reports.services import quarter_for_plan, quarterly_report_publish


class Command(BaseCommand):
    help = (
        "Publish a plan's quarterly report for the quarter ending on a date (YYYY-MM-DD), "
        "and print its address; then make and keep its Word and PDF files, so no reader "
        "waits for them. Publishing a quarter again makes a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. cype-directorate-plan-2022-24.")
        parser.add_argument("quarter_ends_on", help="The quarter's last day, e.g. 2022-09-30.")
        for name, label in HEADER_FIELDS:
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                dest=name,
                default=None,
                help=f"{label}; by default what the browser's publish form starts with.",
            )
        parser.add_argument(
            "--no-documents",
            dest="documents",
            action="store_false",
            help="Leave the Word and PDF files to be made at their first download.",
        )

    def handle(self, *args, plan, quarter_ends_on, **options):
        found = plan_named(plan)
        ends_on, wrong = read_as_at(quarter_ends_on)
        if ends_on is None:
            raise CommandError(wrong or "Give the quarter's last day, in the form YYYY-MM-DD.")
        try:
            quarter = quarter_for_plan(found, ends_on)
            # The same header block the browser's publish form starts with, so both routes
            # make the same paper; an option given overrides its field.
            latest = (
                QuarterlyReport.objects.current()
                .filter(plan=found, quarter_ends_on=quarter.ends_on)
                .first()
            )
            header = header_initial(found, quarter, latest)
            report = quarterly_report_publish(
                plan=found,
                quarter_ends_on=ends_on,
                **{
                    name: header.get(name, "") if options[name] is None else options[name]
                    for name, _ in HEADER_FIELDS
                },
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{settings.SITE_URL}{report.get_absolute_url()}")
        if options["documents"]:
            # The report is published whatever happens here: a file that can't be made
            # now is made at its first download. Said on stderr, in plain text (it is not
            # an error); stdout is the address alone.
            self.stderr.style_func = None
            documents_make(report, self.stderr)
