from datetime import date

import pytest

from themes.periods import Quarter, quarter_ends_until, quarters_between


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2022, 4, 1), "Quarter 1 2022/23 (April to June 2022)"),
        (date(2022, 6, 30), "Quarter 1 2022/23 (April to June 2022)"),
        (date(2022, 7, 1), "Quarter 2 2022/23 (July to September 2022)"),
        (date(2022, 9, 30), "Quarter 2 2022/23 (July to September 2022)"),
        (date(2022, 10, 1), "Quarter 3 2022/23 (October to December 2022)"),
        (date(2022, 12, 31), "Quarter 3 2022/23 (October to December 2022)"),
        (date(2023, 1, 1), "Quarter 4 2022/23 (January to March 2023)"),
        (date(2023, 3, 31), "Quarter 4 2022/23 (January to March 2023)"),
        (date(1999, 12, 31), "Quarter 3 1999/00 (October to December 1999)"),
    ],
)
def test_quarter_is_named_as_people_say_it(day, name):
    assert Quarter.containing(day).name == name


def test_quarter_dates_and_neighbours():
    q2 = Quarter.containing(date(2022, 8, 15))
    assert (q2.starts_on, q2.ends_on) == (date(2022, 7, 1), date(2022, 9, 30))
    assert q2.previous.ends_on == date(2022, 6, 30)
    assert q2.next.starts_on == date(2022, 10, 1)
    assert Quarter.containing(date(2023, 2, 1)).next.name.startswith("Quarter 1 2023/24")


def test_ending_on_accepts_only_a_quarter_end():
    assert Quarter.ending_on(date(2023, 3, 31)).short_name == "Quarter 4 2022/23"
    with pytest.raises(ValueError, match="29 September 2022 is not the end of a quarter"):
        Quarter.ending_on(date(2022, 9, 29))


def test_quarters_between_covers_the_plans_life():
    quarters = quarters_between(date(2022, 4, 1), date(2024, 3, 31))
    assert len(quarters) == 8
    assert quarters[0].short_name == "Quarter 1 2022/23"
    assert quarters[-1].short_name == "Quarter 4 2023/24"
    assert quarters_between(date(2024, 1, 1), date(2023, 1, 1)) == []


def test_quarter_ends_until_only_lists_passed_ends():
    ends = quarter_ends_until(date(2022, 4, 1), date(2024, 3, 31), today=date(2022, 10, 1))
    assert ends == [date(2022, 6, 30), date(2022, 9, 30)]
    ends = quarter_ends_until(date(2022, 4, 1), date(2024, 3, 31), today=date(2022, 9, 29))
    assert ends == [date(2022, 6, 30)]
    assert len(quarter_ends_until(date(2022, 4, 1), date(2024, 3, 31), date(2026, 1, 1))) == 8
