"""Django's loaddata, writing no audit history of its own.

Rows loaded from a fixture or a dump are not edits: a restored database must hold exactly
the history that was dumped. django-simple-history already skips raw saves, but records
the many-to-many rows loaddata sets (an action's supporting leads, a lead's delegates) as
new history stamped at load time; and on PostgreSQL those rows take ids that the dump's own
history rows then collide with. So history is off while loading.
"""

from django.conf import settings
from django.core.management.commands.loaddata import Command as LoaddataCommand


class Command(LoaddataCommand):
    help = LoaddataCommand.help + " Writes no audit history: the rows loaded are not edits."

    def handle(self, *args, **options):
        was = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            return super().handle(*args, **options)
        finally:
            settings.SIMPLE_HISTORY_ENABLED = was
