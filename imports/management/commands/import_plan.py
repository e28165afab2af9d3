from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from imports.layout import PLAN_COLUMNS
from imports.models import PlanImport
from imports.plans import compare, plan_import_write, unreadable_errors
from imports.reading import FileProblems, read_table


class Command(BaseCommand):
    help = (
        "Import a plan from an .xlsx or .csv file in the import layout: prints what it adds, "
        "changes, closes and leaves alone, then writes it all in one transaction (or, with "
        "--dry-run, nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", required=True, help="The plan's short name (slug).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")
        parser.add_argument(
            "--dates-to-confirm",
            action="store_true",
            help="Bring in actions whose date doesn't exist or can't be read, marked "
            "'date to be confirmed', rather than stopping.",
        )
        parser.add_argument(
            "--create-leads",
            action="store_true",
            help="Add the people the file names who "
            "are not leads yet (otherwise the import stops and lists them).",
        )
        parser.add_argument(
            "--user",
            help="Who the import is recorded as (a username); default the first superuser.",
        )

    def handle(self, *args, file, plan, dry_run, dates_to_confirm, create_leads, user, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {file}: {error.strerror}.") from error
        try:
            rows = read_table(path.name, data, PLAN_COLUMNS)
        except FileProblems as problems:
            raise CommandError("\n".join(problems.messages)) from problems
        preview = compare(rows, plan_slug=plan)
        errors = list(preview["errors"])
        if not dates_to_confirm:
            errors += unreadable_errors(preview)
        if preview["new_leads"] and not create_leads:
            errors += [
                f"Row {item['rows'][0]}, Lead(s): “{item['shown']}” is not a lead yet: "
                "add --create-leads to add them, or write them as cypeplan knows them."
                for item in preview["new_leads"]
            ]
        self.report(preview)
        if errors:
            raise CommandError("Nothing was imported:\n" + "\n".join(errors))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        account = self.account(user)
        try:
            with transaction.atomic():
                imported, warnings = plan_import_write(
                    preview=preview, user=account, file_name=path.name
                )
                PlanImport.objects.create(
                    file_name=path.name[:255],
                    file_size=len(data),
                    plan_slug=preview["plan"]["slug"],
                    rows=rows,
                    preview=preview,
                    changes={"counts": preview["counts"], "theme_counts": preview["theme_counts"]},
                    warnings=warnings,
                    status=PlanImport.CONFIRMED,
                    uploaded_by=account,
                    plan=imported,
                    confirmed_at=timezone.now(),
                )
        except FileProblems as problems:
            # The preview refuses what the database would; this is for whatever it missed.
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(problems.messages)
            ) from problems
        self.stdout.write(self.style.SUCCESS("Imported."))

    def account(self, username):
        users = get_user_model().objects
        if username:
            account = users.filter(username=username).first()
            if account is None:
                raise CommandError(
                    f"There is no user “{username}”: give --user the username of someone "
                    "who can sign in to cypeplan."
                )
            return account
        account = users.filter(is_superuser=True).order_by("pk").first()
        if account is None:
            raise CommandError(
                "Say who the import is recorded as with --user USERNAME (no superuser exists)."
            )
        return account

    def report(self, preview):
        counts = preview["counts"]
        self.stdout.write(
            f"{preview['plan']['name']}: plan {self.verb(preview['plan']['action'])}; "
            f"{preview['theme_counts']['add']} themes added, "
            f"{preview['theme_counts']['change']} changed; actions: {counts['add']} added, "
            f"{counts['change']} changed, {counts['close']} closed, {counts['remove']} removed, "
            f"{counts['same']} left alone."
        )
        for theme in preview["themes"]:
            for entry in theme["actions"]:
                if entry["action"] == "same":
                    continue
                self.stdout.write(
                    f"  {self.verb(entry['action'])}: {theme['name']} "
                    f"{entry['reference'] or ''} {entry['description'][:60]}"
                )
                for label, before, after in entry["changes"]:
                    self.stdout.write(f"      {label}: “{before}” → “{after}”")
        for line in unreadable_errors(preview):
            self.stdout.write(f"  Date to confirm: {line}")

    @staticmethod
    def verb(action):
        return {
            "add": "added",
            "change": "changed",
            "same": "left alone",
            "close": "closed",
            "remove": "removed",
        }[action]
