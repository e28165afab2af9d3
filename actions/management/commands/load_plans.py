import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Q

from cypeplan.history import record_starting_history
from themes.models import Plan, Theme


def already_loaded(rows):
    """Whether every plan and theme the fixture holds is in the database already.

    A fixture may add themes to a plan another fixture loaded (section 2 of the
    improvement plan joins section 1), so plans alone don't say it was loaded.
    """
    slugs = {row["fields"]["slug"] for row in rows if row["model"] == "themes.plan"}
    themes = {
        (row["fields"]["plan"][0], row["fields"]["name"])
        for row in rows
        if row["model"] == "themes.theme"
    }
    if not slugs and not themes:
        return first_row_exists(rows)
    if Plan.objects.filter(slug__in=slugs).count() != len(slugs):
        return False
    if not themes:
        return True
    wanted = Q()
    for slug, name in themes:
        wanted |= Q(plan__slug=slug, name=name)
    return Theme.objects.filter(wanted).count() == len(themes)


def first_row_exists(rows):
    """For a fixture without plans or themes (the scrutiny meetings): whether its first
    row, found by its natural key, is in the database already."""
    if not rows:
        return True
    model = apps.get_model(rows[0]["model"])
    plain = {field.name for field in model._meta.concrete_fields if not field.is_relation}
    first = model(**{name: value for name, value in rows[0]["fields"].items() if name in plain})
    try:
        model._default_manager.get_by_natural_key(*first.natural_key())
    except model.DoesNotExist:
        return False
    return True


class Command(BaseCommand):
    help = (
        "Load each plan (or part of a plan) in fixtures/, and the scrutiny meetings beside "
        "them, that is not in the database yet. One already loaded is left alone, so edits "
        "made in the admin since are never overwritten."
    )

    def handle(self, *args, **options):
        for fixture in sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json")):
            if already_loaded(json.loads(fixture.read_text(encoding="utf-8"))):
                self.stdout.write(f"{fixture.name}: already loaded, left as it is.")
                continue
            call_command("loaddata", str(fixture), verbosity=0)
            self.stdout.write(self.style.SUCCESS(f"{fixture.name}: loaded."))
        # The plans as loaded are the first entry of their history, so the first edit
        # keeps what they said before it. Rows loaded earlier without one get it now.
        given = record_starting_history("As loaded from the published plans in fixtures/")
        for name, count in given.items():
            self.stdout.write(f"History begun for {count} {name}.")
