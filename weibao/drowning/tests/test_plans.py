"""The patrol plan's pure rules: peak days and frequencies, the holidays' text."""

from __future__ import annotations

from datetime import date

import pytest

from weibao.drowning.plans import Frequencies, HolidayError, is_peak, parse_holidays


def test_frequencies_by_risk_and_period() -> None:
    plan = Frequencies()
    assert plan.every("high", True) == 3 and plan.every("high", False) == 7
    assert plan.every("medium", True) == 7 and plan.every("medium", False) == 30
    assert plan.every("low", True) is None


def test_summer_and_listed_holidays_are_peak() -> None:
    holidays = parse_holidays("2026-10-01 2026-10-07\n\n2027-01-20 至 2027-02-20\n2026-05-01")
    assert holidays[0] == (date(2026, 10, 1), date(2026, 10, 7))
    assert holidays[2] == (date(2026, 5, 1), date(2026, 5, 1))
    assert is_peak(date(2026, 7, 1), []) and is_peak(date(2026, 8, 31), [])
    assert not is_peak(date(2026, 9, 1), holidays)
    assert is_peak(date(2026, 10, 7), holidays) and is_peak(date(2027, 2, 1), holidays)
    assert is_peak(date(2026, 5, 1), holidays) and not is_peak(date(2026, 5, 2), holidays)


@pytest.mark.parametrize(
    "text", ["2026-10-07 2026-10-01", "国庆", "2026-10-01 2026-10-02 2026-10-03"]
)
def test_bad_holiday_names_its_line(text: str) -> None:
    with pytest.raises(HolidayError) as caught:
        parse_holidays("2026-05-01 2026-05-05\n" + text)
    assert caught.value.line == 2
