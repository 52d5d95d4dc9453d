from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from goodskin.accounts.age import age_on, is_adult


def test_person_is_adult_on_their_eighteenth_birthday() -> None:
    assert is_adult(born=date(2008, 11, 29), today=date(2026, 11, 29)) is True


def test_person_is_not_adult_the_day_before_their_eighteenth_birthday() -> None:
    assert is_adult(born=date(2008, 11, 30), today=date(2026, 11, 29)) is False


def test_leap_day_baby_comes_of_age_on_the_first_of_march_in_a_common_year() -> None:
    born = date(2008, 2, 29)
    assert is_adult(born=born, today=date(2026, 2, 28)) is False
    assert is_adult(born=born, today=date(2026, 3, 1)) is True


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=40_000),
)
def test_age_never_decreases_and_grows_by_one_a_year(born: date, days: int) -> None:
    today = born + timedelta(days=days)
    age = age_on(born=born, today=today)
    assert age >= 0
    assert age_on(born=born, today=today + timedelta(days=1)) in {age, age + 1}


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2010, 12, 31)).filter(
        lambda day: (day.month, day.day) != (2, 29)
    ),
    years=st.integers(min_value=0, max_value=110),
)
def test_a_year_is_added_exactly_on_each_birthday(born: date, years: int) -> None:
    birthday = born.replace(year=born.year + years)
    assert age_on(born=born, today=birthday) == years
    if years:
        assert age_on(born=born, today=birthday - timedelta(days=1)) == years - 1
