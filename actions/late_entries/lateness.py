"""When an entry for a past as-at date is late."""

from django.utils import timezone

from ..models.rules import end_of_day


def _late_moment(as_at):
    """When an entry for `as_at` is late: after the day ends; None for today or later
    (nothing is entered after today, and 31-12-9999 has no end)."""
    return end_of_day(as_at) if as_at < timezone.localdate() else None
