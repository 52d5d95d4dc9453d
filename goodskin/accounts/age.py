"""The adults-only rule, as pure functions of a birth date and today's date.

Someone born on 29 February comes of age on 1 March in years without a 29 February: their birthday
has not yet come on 28 February, which is the stricter reading.
"""

from __future__ import annotations

from datetime import date

ADULT_AGE = 18
OLDEST_PLAUSIBLE_AGE = 120


def age_on(*, born: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


def is_adult(*, born: date, today: date) -> bool:
    return age_on(born=born, today=today) >= ADULT_AGE
