"""The council's reporting periods: financial quarters, named as people say them.

Quarter 1 is April to June, so "Quarter 2 2022/23" is July to September 2022 and
"Quarter 4 2022/23" is January to March 2023 (DOMAIN.md, "Quarters").
"""

from dataclasses import dataclass
from datetime import date, timedelta

# The dates the service answers for: the rules look 90 days back and 30 ahead of the
# as-at date, and a council plan lives well inside these years. Pages, commands and a
# revised due date are held to them.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
OUT_OF_RANGE = (
    "“{shown}” is outside the dates this service answers for: enter a date between "
    f"{EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y}."
)


def in_range(day, shown):
    """(day, "") when the service answers for `day`; else (None, the message saying the
    dates it does, naming `shown`, the date as typed). Commands given a date use it too."""
    if EARLIEST <= day <= LATEST:
        return day, ""
    return None, OUT_OF_RANGE.format(shown=shown)


@dataclass(frozen=True, order=True)
class Quarter:
    """One financial quarter. Ordered by time; `number` is 1 (April–June) to 4 (January–March)."""

    starts_on: date
    ends_on: date

    @classmethod
    def containing(cls, day):
        """The quarter `day` falls in."""
        first_month = (day.month - 1) // 3 * 3 + 1
        starts_on = date(day.year, first_month, 1)
        if first_month == 10:
            next_start = date(day.year + 1, 1, 1)
        else:
            next_start = date(day.year, first_month + 3, 1)
        return cls(starts_on, next_start - timedelta(days=1))

    @classmethod
    def ending_on(cls, day):
        """The quarter whose last day is `day`; ValueError if `day` ends no quarter."""
        quarter = cls.containing(day)
        if quarter.ends_on != day:
            raise ValueError(
                f"{day:%-d %B %Y} is not the end of a quarter: quarters end on 30 June, "
                "30 September, 31 December and 31 March."
            )
        return quarter

    @property
    def number(self):
        return (self.starts_on.month - 4) % 12 // 3 + 1

    @property
    def financial_year(self):
        """As people write it: "2022/23"."""
        first = self.starts_on.year if self.starts_on.month >= 4 else self.starts_on.year - 1
        return f"{first}/{(first + 1) % 100:02d}"

    @property
    def short_name(self):
        """ "Quarter 2 2022/23"."""
        return f"Quarter {self.number} {self.financial_year}"

    @property
    def months(self):
        """ "July to September 2022"; "January to March 2023"."""
        return f"{self.starts_on:%B} to {self.ends_on:%B %Y}"

    @property
    def name(self):
        """ "Quarter 2 2022/23 (July to September 2022)"."""
        return f"{self.short_name} ({self.months})"

    @property
    def previous(self):
        return Quarter.containing(self.starts_on - timedelta(days=1))

    @property
    def next(self):
        return Quarter.containing(self.ends_on + timedelta(days=1))

    def __str__(self):
        return self.name


def quarters_between(starts_on, ends_on):
    """Every quarter that overlaps `starts_on`..`ends_on`, oldest first."""
    if ends_on < starts_on:
        return []
    quarters = [Quarter.containing(starts_on)]
    while quarters[-1].ends_on < ends_on:
        quarters.append(quarters[-1].next)
    return quarters


def quarter_ends_until(starts_on, ends_on, today):
    """The quarter ends from `starts_on` to `ends_on` that have passed by `today` (a quarter
    end is a reporting date once it has arrived), oldest first."""
    return [
        quarter.ends_on
        for quarter in quarters_between(starts_on, ends_on)
        if quarter.ends_on <= min(ends_on, today)
    ]
