from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import HEADER_FIELDS
from reports.services import quarterly_report_publish
from themes.models import Plan


class Command(BaseCommand):
    help = (
        "Publish a plan's quarterly report for the quarter ending on a date (YYYY-MM-DD), "
        "and print its address. Publishing a quarter again makes a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. cype-directorate-plan-2022-24.")
        parser.add_argument("quarter_ends_on", help="The quarter's last day, e.g. 2022-09-30.")
        for name, label in HEADER_FIELDS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default="", help=label)

    def handle(self, *args, plan, quarter_ends_on, **options):
        try:
            found = Plan.objects.get(slug=plan)
        except Plan.DoesNotExist:
            slugs = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none loaded"
            raise CommandError(f"No plan called “{plan}”. The plans are: {slugs}.") from None
        try:
            ends_on = date.fromisoformat(quarter_ends_on)
        except ValueError:
            raise CommandError(
                f"“{quarter_ends_on}” is not a date in the form YYYY-MM-DD, e.g. 2022-09-30."
            ) from None
        try:
            report = quarterly_report_publish(
                plan=found,
                quarter_ends_on=ends_on,
                **{name: options[name] for name, _ in HEADER_FIELDS},
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{settings.SITE_URL}{report.get_absolute_url()}")
