"""Property-based tests: whatever a person types, the readers of typed dates and
timeframes give a value or a message (ValidationError), never another exception."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.forms import GovukDateField
from actions.timeframes import MONTHS, ParsedTimeframe, TimeframeError, parse_timeframe
from actions.views.scope import read_as_at, read_as_at_boxes

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces a timeframe is written with, so examples reach the parser's every branch
# (random text alone rarely spells "Sept-Nov 0000").
number = st.one_of(
    st.integers(min_value=0, max_value=99).map(str),
    st.integers(min_value=0, max_value=99999).map(lambda n: f"{n:04d}"),
    st.sampled_from(["00", "0000", "²", "٣", "３１", "99999999999999999999"]),
)
piece = st.one_of(
    number,
    st.sampled_from(sorted(MONTHS)),
    st.sampled_from(["/", ".", "-", "–", " ", "(", ")", "and", "On going", "TBC", ",", "\x00"]),
    st.text(max_size=3),
)
timeframe_label = st.one_of(st.text(), st.lists(piece, max_size=8).map("".join))
date_part = st.one_of(number, st.text(max_size=6), st.just(""))


@EXAMPLES
@given(timeframe_label)
def test_any_timeframe_label_is_read_or_refused_with_a_message(label):
    try:
        parsed = parse_timeframe(label)
    except TimeframeError as error:
        assert error.messages and all(error.messages)
    else:
        assert isinstance(parsed, ParsedTimeframe)
        assert parsed.is_ongoing or parsed.due_on is not None


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("March 0000", "has the year 0000"),
        ("31/12/0000", "has the year 0000"),
        ("13/2023", "only 12 months"),
        ("31/09/21", "is not a real date"),
        ("30/٠٩/21", "could not read"),
    ],
)
def test_impossible_timeframes_get_a_message_naming_what_is_wrong(label, words):
    with pytest.raises(TimeframeError) as refused:
        parse_timeframe(label)

    assert label in refused.value.messages[0]
    assert words in refused.value.messages[0]


@EXAMPLES
@given(date_part, date_part, date_part)
def test_any_day_month_and_year_give_a_date_or_a_message(day, month, year):
    field = GovukDateField(label="Date it reports on")
    try:
        value = field.clean([day, month, year])
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        assert isinstance(value, date)


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("²", "5", "2023"),
        ("1", "²", "2023"),
        ("1", "5", "0000"),
        ("1", "5", "٢٠٢٣"),
        ("1", "5", "9" * 5000),
        ("99999999999999999999", "5", "2023"),
    ],
)
def test_dates_that_are_not_plain_numbers_are_refused_with_a_message(day, month, year):
    with pytest.raises(ValidationError) as refused:
        GovukDateField(label="Date it reports on").clean([day, month, year])

    assert "Date it reports on must be" in refused.value.messages[0]


@EXAMPLES
@given(st.one_of(st.text(), st.from_regex(r"\A-?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}\Z")))
def test_any_as_at_value_gives_a_date_or_a_message(raw):
    as_at, message = read_as_at(raw)

    assert as_at is None or isinstance(as_at, date)
    if as_at is None:
        assert bool(message) == bool(raw.strip())
    else:
        assert not message


@EXAMPLES
@given(st.fixed_dictionaries({part: st.text(max_size=8) for part in ("day", "month", "year")}))
def test_any_as_at_boxes_give_a_date_or_a_message(typed):
    as_at, message = read_as_at_boxes(typed)

    assert as_at is None or isinstance(as_at, date)
    assert (as_at is None) == bool(message) or not any(typed.values())
