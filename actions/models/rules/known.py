"""Which updates a position as at a date stands on, which of them is latest, and the
windows and dates the rules measure by."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def update_window():
    """How long an action may go without a progress update before it is stale."""
    return timedelta(days=settings.UPDATE_WINDOW_DAYS)


def quarter_start(as_at):
    """The first day of the quarter `as_at` falls in (quarters start in January, April,
    July and October, so they are the council's financial quarters too)."""
    return date(as_at.year, (as_at.month - 1) // 3 * 3 + 1, 1)


def warning_window():
    """How far ahead a not-started action's due date makes it at risk."""
    return timedelta(days=settings.WARNING_WINDOW_DAYS)


# The latest position is the update with the latest report date; on a tie, the one
# entered last. NEWEST_FIRST orders updates so; newest_key ranks them in Python.
NEWEST_FIRST = ("-reported_on", "-pk")


def newest_key(update):
    return (update.reported_on, update.pk)


def known(as_at, known_at=None):
    """The updates a position as at `as_at` stands on: reported on or before `as_at` and, when
    `known_at` is given, entered at or before that moment (what the system said then).
    Every as-at rule reads progress updates through this one condition."""
    condition = Q(reported_on__lte=as_at)
    if known_at is not None:
        condition &= Q(entered_at__lte=known_at)
    return condition


def end_of_day(day):
    """The moment `day` ends in the council's time zone: the first moment of the next day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def is_known(update, as_at, known_at=None):
    """`known` for one update, in Python."""
    return update.reported_on <= as_at and (known_at is None or update.entered_at <= known_at)
