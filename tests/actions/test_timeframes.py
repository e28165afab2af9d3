from datetime import date

import pytest

from actions.models import Timeframe
from actions.timeframes import TimeframeError, parse_timeframe

# Every form the seeds write (shared/seeds/README.md), and what DOMAIN.md says it means:
# (label, starts_on, due_on, milestones, is_ongoing, qualifier)
SEED_FORMS = [
    ("March 2023", None, date(2023, 3, 31), (), False, ""),
    ("December 2022", None, date(2022, 12, 31), (), False, ""),
    ("On going", None, None, (), True, ""),
    ("Ongoing", None, None, (), True, ""),
    ("01/04/21", None, date(2021, 4, 1), (), False, ""),
    (
        "30/09/2021 and 31/03/22",
        None,
        date(2022, 3, 31),
        (date(2021, 9, 30), date(2022, 3, 31)),
        False,
        "",
    ),
    (
        "01/04/21 31/07/21 31/10/21",
        None,
        date(2021, 10, 31),
        (date(2021, 4, 1), date(2021, 7, 31), date(2021, 10, 31)),
        False,
        "",
    ),
    ("June 2021", None, date(2021, 6, 30), (), False, ""),
    ("March 21", None, date(2021, 3, 31), (), False, ""),
    ("April 21 and ongoing", date(2021, 4, 1), None, (), True, ""),
    ("Sept-Nov 2021", date(2021, 9, 1), date(2021, 11, 30), (), False, ""),
    ("Dec 21", None, date(2021, 12, 31), (), False, ""),
    ("11/2020", None, date(2020, 11, 30), (), False, ""),
    ("30/09/21 (TBC)", None, date(2021, 9, 30), (), False, "TBC"),
    ("Initial meeting 05/08/21", None, date(2021, 8, 5), (), False, "Initial meeting"),
]


@pytest.mark.parametrize(
    ("label", "starts_on", "due_on", "milestones", "is_ongoing", "qualifier"), SEED_FORMS
)
def test_every_seed_form_parses_to_the_dates_it_means(
    label, starts_on, due_on, milestones, is_ongoing, qualifier
):
    parsed = parse_timeframe(label)

    assert parsed.starts_on == starts_on
    assert parsed.due_on == due_on
    assert parsed.milestones == milestones
    assert parsed.is_ongoing is is_ongoing
    assert parsed.qualifier == qualifier


def test_a_date_that_does_not_exist_is_an_error_quoting_the_label():
    with pytest.raises(TimeframeError) as error:
        parse_timeframe("31/09/21")

    assert error.value.messages == [
        "Timeframe “31/09/21” is not a real date: September 2021 has 30 days."
    ]


def test_an_impossible_date_among_milestones_names_the_date_and_the_label():
    with pytest.raises(TimeframeError) as error:
        parse_timeframe("30/09/21 and 31/09/21")

    assert "“30/09/21 and 31/09/21”" in error.value.messages[0]
    assert "“31/09/21” is not a real date" in error.value.messages[0]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("", "needs a label"),
        ("   ", "needs a label"),
        ("soon", "has no date in it"),
        ("TBC", "has no date in it"),
        ("Marhc 2023", "could not read “2023”"),
        ("13/2021", "month 13"),
        ("29/02/21", "February 2021 has 28 days"),
        ("32/01/22", "January 2022 has 31 days"),
    ],
)
def test_labels_it_cannot_read_are_errors_never_guesses(label, expected):
    with pytest.raises(TimeframeError) as error:
        parse_timeframe(label)

    assert expected in error.value.messages[0]


def test_a_leap_day_is_a_real_date():
    assert parse_timeframe("29/02/24").due_on == date(2024, 2, 29)


def test_a_range_across_new_year_starts_in_the_year_before():
    parsed = parse_timeframe("Nov-Feb 2022")

    assert (parsed.starts_on, parsed.due_on) == (date(2021, 11, 1), date(2022, 2, 28))


def test_dates_and_ongoing_together_have_no_due_date_but_keep_their_milestones():
    parsed = parse_timeframe("June 2021 Ongoing (started March 2021) Process in place – Oct 2021")

    assert parsed.is_ongoing
    assert parsed.due_on is None
    assert parsed.milestones == (date(2021, 6, 30), date(2021, 10, 31))
    assert parsed.qualifier == "Process in place; started March 2021"


@pytest.mark.django_db
def test_saving_a_timeframe_stores_the_dates_beside_the_label_as_written():
    timeframe = Timeframe.objects.create(label="01/04/21 31/07/21 31/10/21")
    timeframe.refresh_from_db()

    assert timeframe.label == "01/04/21 31/07/21 31/10/21"
    assert timeframe.due_on == date(2021, 10, 31)
    assert timeframe.milestone_dates == [date(2021, 4, 1), date(2021, 7, 31), date(2021, 10, 31)]


@pytest.mark.django_db
def test_changing_a_label_moves_its_dates():
    timeframe = Timeframe.objects.create(label="March 2023")
    timeframe.label = "Ongoing"
    timeframe.save()
    timeframe.refresh_from_db()

    assert (timeframe.due_on, timeframe.is_ongoing) == (None, True)


@pytest.mark.django_db
def test_an_impossible_label_is_never_saved():
    with pytest.raises(ValueError, match="31/09/21"):
        Timeframe.objects.create(label="31/09/21")

    assert not Timeframe.objects.exists()


def test_timeframe_clean_puts_the_parser_error_on_the_label_field():
    with pytest.raises(TimeframeError) as error:
        Timeframe(label="31/09/21").clean()

    assert error.value.message_dict == {
        "label": ["Timeframe “31/09/21” is not a real date: September 2021 has 30 days."]
    }
