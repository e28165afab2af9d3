import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from themes.models import Plan


class Command(BaseCommand):
    help = (
        "Load each plan in fixtures/ that is not in the database yet. A plan already "
        "loaded is left alone, so edits made in the admin since are never overwritten."
    )

    def handle(self, *args, **options):
        for fixture in sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json")):
            slugs = [
                row["fields"]["slug"]
                for row in json.loads(fixture.read_text(encoding="utf-8"))
                if row["model"] == "themes.plan"
            ]
            loaded = set(Plan.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            if slugs and loaded == set(slugs):
                self.stdout.write(f"{fixture.name}: already loaded, left as it is.")
                continue
            call_command("loaddata", str(fixture), verbosity=0)
            self.stdout.write(self.style.SUCCESS(f"{fixture.name}: loaded."))
