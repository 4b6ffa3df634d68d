"""The pure season rules: summer's first day, the seasons coming within the reminder window,
the default season of the pages, and the birth dates of the ages to be assigned."""

from __future__ import annotations

from datetime import date

import pytest

from weibao.drowning import seasons

HOLIDAYS = [(date(2026, 10, 1), date(2026, 10, 7)), (date(2027, 1, 20), date(2027, 2, 20))]


def test_summer_start() -> None:
    assert seasons.summer_start(2026) == date(2026, 7, 1)
    assert seasons.summer_start(2026, "06-25") == date(2026, 6, 25)
    with pytest.raises(ValueError):
        seasons.summer_start(2026, "13-01")


def test_coming_within_the_window_only() -> None:
    coming = seasons.coming(date(2026, 6, 24), "07-01", HOLIDAYS, 7)
    assert [(s.key, s.season) for s in coming] == [("2026-summer", "summer")]
    assert seasons.coming(date(2026, 6, 23), "07-01", HOLIDAYS, 7) == []  # 8 days before
    assert seasons.coming(date(2026, 7, 1), "07-01", HOLIDAYS, 7) == []  # the first day
    october = seasons.coming(date(2026, 9, 28), "07-01", HOLIDAYS, 7)
    assert [(s.key, s.season, s.year) for s in october] == [("2026-10-01", "holiday", 2026)]


def test_winter_holiday_across_the_new_year() -> None:
    coming = seasons.coming(date(2027, 1, 15), "07-01", HOLIDAYS, 7)
    assert [(s.key, s.season, s.year) for s in coming] == [("2027-01-20", "winter", 2027)]


def test_default_season() -> None:
    assert seasons.default_season(date(2026, 3, 1)) == (2026, "summer")
    assert seasons.default_season(date(2026, 8, 31)) == (2026, "summer")
    assert seasons.default_season(date(2026, 9, 1)) == (2027, "winter")
    assert seasons.default_season(date(2027, 2, 1)) == (2027, "winter")


def test_birth_range_of_ages_3_to_15() -> None:
    earliest, latest = seasons.birth_range(date(2026, 7, 15), (3, 15))
    assert latest == date(2023, 7, 15)  # 3 today
    assert earliest == date(2010, 7, 16)  # 15 until tomorrow
    assert seasons.age_on(earliest, date(2026, 7, 15)) == 15
    assert seasons.age_on(date(2010, 7, 15), date(2026, 7, 15)) == 16
    assert seasons.age_on(date(2023, 7, 16), date(2026, 7, 15)) == 2
