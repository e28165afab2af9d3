"""Dates as GOV.UK writes them ("31 March 2023"), for the `govuk` template tags."""

import datetime
import functools

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import get_language

register = template.Library()

GOVUK_DATE = "j F Y"


@register.filter
def govuk_date(value, arg=GOVUK_DATE):
    """A date (or datetime, in local time) as "31 March 2023"; empty for no date."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return value
    return day_in_words(value, arg)


def day_in_words(day, form=GOVUK_DATE):
    """Django's date format of a day, kept: a list draws the same few days (quarter ends,
    due dates, report dates) on every row, each in up to three places, and formatting one
    takes as long as drawing the rest of its cell."""
    return _day_in_words(day, form, get_language())


@functools.lru_cache(maxsize=4096)
def _day_in_words(day, form, language):
    # `language` keys the cache: month names are translated.
    return format_date(day, form)
