from django.core.management.base import BaseCommand, CommandError

from actions.models import Action
from actions.models.newest import newest_updates_check


class Command(BaseCommand):
    help = (
        "Check that every action's kept newest update (what pages read for the position as "
        "at today) is the one its progress updates say; with --repair, put any that differ "
        "right. Exits with an error if any differ and --repair was not given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Set the ones that differ from the updates."
        )

    def handle(self, *args, repair, **options):
        wrong = newest_updates_check(repair=repair)
        checked = Action.objects.count()
        if not wrong:
            self.stdout.write(f"All {checked:,} actions' newest updates are right.")
            return
        shown = ", ".join(str(pk) for pk in wrong[:20]) + (" …" if len(wrong) > 20 else "")
        if repair:
            self.stdout.write(
                f"Repaired the newest update of {len(wrong):,} of {checked:,} actions "
                f"(ids {shown})."
            )
            return
        raise CommandError(
            f"{len(wrong):,} of {checked:,} actions have a kept newest update that differs "
            f"from their progress updates (ids {shown}). Run with --repair to set them right."
        )
