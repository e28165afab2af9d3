"""The one parser that turns a timeframe as a plan words it into the dates it means.

Plans write timeframes for people, not machines: "March 2023", "On going",
"30/09/2021 and 31/03/22", "Sept-Nov 2021", "30/09/21 (TBC)", "Initial meeting 05/08/21".
The words are kept as written; this module works out what they mean (see DOMAIN.md):

- a month is due at the end of that month; a date is UK day-first;
- "ongoing" has no due date;
- "April 21 and ongoing" starts then and has no end;
- a range ("Sept-Nov 2021") starts at its start and is due at its end;
- several dates are milestones of sub-steps, due at the last one;
- words the parser does not need ("TBC", "Initial meeting") are kept as the qualifier;
- a date that does not exist ("31/09/21") is an error for a person to fix, never a guess.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError

MONTHS = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:\d{4}|\d{2})"
_DASH = r"\s*[-–—]\s*"

_TOKEN = re.compile(
    rf"""
      (?P<date>\b\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR}\b)
    | (?P<month_number>\b\d{{1,2}}/\d{{4}}\b)
    | (?P<month_range>\b{_MONTH}{_DASH}{_MONTH}\s+{_YEAR}\b)
    | (?P<month>\b{_MONTH}\s+{_YEAR}\b)
    | (?P<ongoing>\bon\s*-?\s*going\b)
    """,
    # ASCII digits only: int() reads "٣" as 3, but no plan writes dates so.
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# Words that only join the parts of a timeframe together.
_CONNECTORS = re.compile(r"^(?:and|to|then|&|,|;|[-–—])$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedTimeframe:
    """What a timeframe label means. due_on is None when the label is open-ended."""

    starts_on: date | None = None
    due_on: date | None = None
    milestones: tuple[date, ...] = field(default_factory=tuple)
    is_ongoing: bool = False
    qualifier: str = ""


class TimeframeError(ValidationError):
    """A timeframe label that cannot be read as dates; the message quotes the label."""


# Plans are written for years people live in: "March 0000" is a typing slip.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _year(text, where, label):
    year = int(text)
    year = 2000 + year if len(text) == 2 else year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TimeframeError(
            f"{_where(where, label)} has the year {text}; write a year from {FIRST_YEAR} "
            f"to {LAST_YEAR}, such as 2023.",
            code="invalid_year",
        )
    return year


def _month_number(name):
    return MONTHS[name.lower().rstrip(".")]


def _end_of_month(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def _where(text, label):
    return f"Timeframe “{label}”" if text == label else f"Timeframe “{label}”: “{text}”"


def month_length(year, month):
    """ "February 2024 has 29 days": why a day past its month's end is no date, in the words
    the date forms, the timeframes and the spreadsheets all use."""
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


def no_such_day(year, month, day):
    """Why a day of a month is no date: "there is no day 0", "February 2024 has 29 days"."""
    return f"there is no day {day}" if day < 1 else month_length(year, month)


_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")


# A whole number of five digits, as a date cell reads once its format is cleared or it is
# pasted as a value: Excel's count of days (45017 is 1 April 2023).
_EXCEL_DAY_NUMBER = re.compile(r"([1-9][0-9]{4})(?:\.0+)?")
EXCEL_DAY_ZERO = date(1899, 12, 30)


def why_not_a_date(text, example):
    """Why `text`, which a day-first reader (imports.plans.read_date, the admin's date fields)
    can't read, is not a date: a day-first date that isn't a real one says why ("February
    2024 has 29 days"); anything else, how to write one."""
    number = _EXCEL_DAY_NUMBER.fullmatch(text.strip())
    if number:
        day = EXCEL_DAY_ZERO + timedelta(days=int(number.group(1)))
        return (
            f"is a number, not a date: Excel keeps {day:%-d %B %Y} as this number. Write the "
            f"date day first, e.g. {day:%d/%m/%Y}."
        )
    match = _DAY_FIRST.fullmatch(text.strip())
    if match:
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            # As strptime's %y reads two digits: 69 to 99 are 1969 to 1999.
            year += 1900 if year >= 69 else 2000
        if not 1 <= month <= 12:
            return f"is not a date: there is no month {month}. Write the day first, e.g. {example}."
        if year >= 1:
            return f"is not a real date: {no_such_day(year, month, day)}."
    return f"is not a date: write it day first, e.g. {example}."


def _real_date(year, month, day, text, label):
    if not 1 <= month <= 12:
        raise TimeframeError(
            f"{_where(text, label)} has month {month}; there are only 12 months.",
            code="invalid_month",
        )
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise TimeframeError(
            f"{_where(text, label)} is not a real date: {no_such_day(year, month, day)}.",
            code="impossible_date",
        )
    return date(year, month, day)


def _span(kind, text, label):
    """The first and last day a single date expression covers."""
    if kind == "date":
        day, month, year = re.split(r"[/.]", text)
        when = _real_date(_year(year, text, label), int(month), int(day), text, label)
        return when, when
    if kind == "month_number":
        month, year = text.split("/")
        start = _real_date(_year(year, text, label), int(month), 1, text, label)
        return start, _end_of_month(start.year, start.month)
    if kind == "month":
        name, year = text.split()
        month, year = _month_number(name), _year(year, text, label)
        return date(year, month, 1), _end_of_month(year, month)
    if kind == "month_range":
        months, year = text.rsplit(None, 1)
        first, last = re.split(_DASH, months)
        year = _year(year, text, label)
        first, last = _month_number(first), _month_number(last)
        start_year = year if first <= last else year - 1
        return date(start_year, first, 1), _end_of_month(year, last)
    raise AssertionError(kind)


def parse_timeframe(label):
    """Read a timeframe label as the plan wrote it. Raises TimeframeError if it can't."""
    text = " ".join((label or "").split())
    if not text:
        raise TimeframeError("A timeframe needs a label, such as “March 2023” or “Ongoing”.")

    qualifiers = [q.strip() for q in _PARENTHESES.findall(text) if q.strip()]
    text_outside = _PARENTHESES.sub(" ", text)

    spans, ongoing, leftovers, position = [], False, [], 0
    for match in _TOKEN.finditer(text_outside):
        leftovers.append(text_outside[position : match.start()])
        position = match.end()
        if match.lastgroup == "ongoing":
            ongoing = True
        else:
            spans.append((match.lastgroup, *_span(match.lastgroup, match.group(), label)))
    leftovers.append(text_outside[position:])

    words = []
    for leftover in leftovers:
        for word in leftover.split():
            if _CONNECTORS.match(word):
                continue
            if any(character.isdigit() for character in word):
                raise TimeframeError(
                    f"Timeframe “{label}”: could not read "
                    f"{'it' if word == label else f'“{word}”'} as a date. "
                    "Write dates day first (30/09/2021) or as a month (September 2021).",
                    code="unreadable",
                )
            words.append(word)
    if words:
        qualifiers.insert(0, " ".join(words).strip(" -–—:"))

    if not spans and not ongoing:
        raise TimeframeError(
            f"Timeframe “{label}” has no date in it and does not say “Ongoing”.",
            code="no_date",
        )

    has_range = any(kind == "month_range" for kind, _, _ in spans)
    ends = sorted(end for _, _, end in spans)
    return ParsedTimeframe(
        starts_on=min(start for _, start, _ in spans) if spans and (ongoing or has_range) else None,
        due_on=None if ongoing else ends[-1],
        milestones=tuple(ends) if len(spans) > 1 else (),
        is_ongoing=ongoing,
        qualifier="; ".join(q for q in qualifiers if q),
    )
