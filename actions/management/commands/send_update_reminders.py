import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders import reminders_send
from actions.views.scope import in_range
from cypeplan.govuk.dates import govuk_date


def as_at_date(value):
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a date: give it as YYYY-MM-DD, e.g. 2023-06-30."
        ) from None
    # The pages' limits: the rules reach days either side of it, which must be real dates.
    day, outside = in_range(day, value)
    if outside:
        raise argparse.ArgumentTypeError(outside)
    return day


def people(count, singular="person", plural="people"):
    return f"{count} {singular if count == 1 else plural}"


class Command(BaseCommand):
    help = (
        "Email each lead with an account, and each of their delegates, one reminder listing "
        "their actions that are overdue, at risk, stale or due soon. Anyone already reminded "
        "that day is skipped, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=as_at_date,
            help="Judge the actions as at this date, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, date=None, **options):
        as_at = date or timezone.localdate()
        summary = reminders_send(as_at=as_at)
        day = govuk_date(as_at)
        actions = sum(reminder.action_count for reminder in summary.sent)
        lines = [
            f"Update reminders as at {day}:",
            f"  Sent {people(len(summary.sent))} a reminder"
            + (f" ({actions} action{'' if actions == 1 else 's'} in all)." if actions else "."),
            f"  Skipped {people(len(summary.already_reminded))} already reminded on {day}.",
        ]
        leads = summary.leads_without_account
        lines.append(
            f"  {people(len(leads), 'lead has', 'leads have')} no account to email"
            + (": " + ", ".join(str(lead) for lead in leads) if leads else ".")
        )
        no_email = summary.people_without_email
        lines.append(
            f"  {people(len(no_email), 'person has', 'people have')} no email address"
            + (": " + ", ".join(user.get_username() for user in no_email) if no_email else ".")
        )
        barred = summary.people_who_may_not_update
        if barred:
            lines.append(
                f"  {people(len(barred), 'person is', 'people are')} a lead's account or "
                "delegate but may not record updates, so not reminded of actions: "
                + ", ".join(user.get_username() for user in barred)
            )
        self.stdout.write("\n".join(lines))
        if summary.failed:
            failures = "; ".join(f"{user.email} ({error})" for user, error in summary.failed)
            raise CommandError(
                f"Could not send to {people(len(summary.failed))}, so nothing was recorded for "
                f"them and the next run will try again: {failures}"
            )
