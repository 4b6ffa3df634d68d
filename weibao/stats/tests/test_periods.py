from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from weibao.core.contract import Period
from weibao.stats.periods import Kind, StatPeriod, parse, periods, year_to_date


@pytest.mark.parametrize(
    ("period", "key", "start", "end"),
    [
        (StatPeriod.year(2021), "2021", date(2021, 1, 1), date(2022, 1, 1)),
        (StatPeriod.half(2021, 1), "2021H1", date(2021, 1, 1), date(2021, 7, 1)),
        (StatPeriod.half(2021, 2), "2021H2", date(2021, 7, 1), date(2022, 1, 1)),
        (StatPeriod.quarter(2021, 3), "2021Q3", date(2021, 7, 1), date(2021, 10, 1)),
        (StatPeriod.month(2021, 3), "2021-03", date(2021, 3, 1), date(2021, 4, 1)),
        (StatPeriod.month(2021, 12), "2021-12", date(2021, 12, 1), date(2022, 1, 1)),
        (StatPeriod.term(2021, 1), "2021T1", date(2021, 9, 1), date(2022, 2, 1)),
        (StatPeriod.term(2021, 2), "2021T2", date(2022, 2, 1), date(2022, 9, 1)),
        (StatPeriod.to_date(date(2026, 12, 4)), "2026YTD1204", date(2026, 1, 1), date(2026, 12, 5)),
    ],
)
def test_keys_spans_and_parse(period: StatPeriod, key: str, start: date, end: date) -> None:
    assert period.key == key
    assert (period.start, period.end) == (start, end)
    assert parse(key) == period
    assert period.as_period == Period(start, end)


def test_labels_in_english() -> None:
    with translation.override("en"):
        assert StatPeriod.quarter(2021, 3).label == "third quarter of 2021"
        assert "first term" in StatPeriod.term(2021, 1).label


def test_periods_and_months_roll_up() -> None:
    assert [p.key for p in periods(Kind.TERM, 2021, 2021)] == ["2021T1", "2021T2"]
    assert len(periods(Kind.MONTH, 2020, 2021)) == 24
    term = StatPeriod.term(2021, 1)
    assert [m.key for m in term.months()] == ["2021-09", "2021-10", "2021-11", "2021-12", "2022-01"]
    assert StatPeriod.year(2021).whole_months
    assert not StatPeriod.to_date(date(2021, 5, 3)).whole_months


def test_year_to_date_and_leap_day() -> None:
    this, last = year_to_date(date(2024, 2, 29))
    assert (this.start, this.end) == (date(2024, 1, 1), date(2024, 3, 1))
    assert (last.start, last.end) == (date(2023, 1, 1), date(2023, 3, 1))
    this, last = year_to_date(date(2026, 9, 15))
    assert last.key == "2025YTD0915"


@pytest.mark.parametrize("key", ["", "21", "2021Q5", "2021-13", "2021T3", "2021YTD0230", "x"])
def test_bad_keys_refused(key: str) -> None:
    with pytest.raises(ValueError):
        parse(key)
