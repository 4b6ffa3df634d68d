"""Pure rules of the seasons: when summer starts, which holidays are coming, which season a
day's letter or assignment is for, and who is of an age to be assigned. No database: tested on
their own (tests/test_seasons.py).

Summer starts on settings.DROWNING_SUMMER_START ("07-01"); the holidays are the patrol plan's
(the county keeps them there) and settings.DROWNING_HOLIDAYS ("2026-10-01 2026-10-07" lines, as
the plan writes them). A holiday starting in January or February is the winter holiday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SUMMER, WINTER, HOLIDAY = "summer", "winter", "holiday"  # models.Season values
WINTER_MONTHS = (1, 2)


@dataclass(frozen=True)
class SeasonStart:
    """The first day of a risky period: `key` names it for the reminders' marks."""

    key: str
    season: str
    year: int
    first_day: date


def summer_start(year: int, month_day: str = "07-01") -> date:
    """The first day of the summer holiday in `year` ("MM-DD"); ValueError for a bad setting."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, day)


def season_of_holiday(first_day: date) -> str:
    return WINTER if first_day.month in WINTER_MONTHS else HOLIDAY


def starts(year: int, month_day: str, holidays: list[tuple[date, date]]) -> list[SeasonStart]:
    """Every season starting in `year`: its summer and the holidays listed, by first day."""
    found = [SeasonStart(f"{year}-summer", SUMMER, year, summer_start(year, month_day))]
    for first, _last in holidays:
        if first.year == year:
            found.append(SeasonStart(f"{first.isoformat()}", season_of_holiday(first), year, first))
    return sorted(found, key=lambda s: (s.first_day, s.key))


def coming(
    today: date, month_day: str, holidays: list[tuple[date, date]], lead_days: int
) -> list[SeasonStart]:
    """The seasons starting within `lead_days` after today (not today: reminders come before)."""
    last = today + timedelta(days=lead_days)
    years = {today.year, last.year}
    found = [s for year in sorted(years) for s in starts(year, month_day, holidays)]
    return [s for s in found if today < s.first_day <= last]


def default_season(today: date, month_day: str = "07-01") -> tuple[int, str]:
    """The season a page opens on: this year's summer until it ends (31 August), then next
    year's winter holiday; in January and February the winter holiday under way."""
    if today.month in WINTER_MONTHS:
        return today.year, WINTER
    if today <= date(today.year, 8, 31):
        return today.year, SUMMER
    return today.year + 1, WINTER


def age_on(birth: date, on: date) -> int:
    """Age in full years (周岁) on `on`."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def birth_range(on: date, ages: tuple[int, int]) -> tuple[date, date]:
    """(earliest, latest) birth date of someone aged ages[0]..ages[1] on `on`."""
    youngest, oldest = ages
    latest = _years_before(on, youngest)
    earliest = _years_before(on, oldest + 1) + timedelta(days=1)
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)
