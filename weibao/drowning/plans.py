"""Pure rules of the patrol plan: which days are peak (summer, July and August, and the school
holidays the county lists), and how often a water of each risk must be patrolled on a day.
No database: tested on their own (tests/test_plans.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SUMMER_MONTHS = (7, 8)
HIGH, MEDIUM = "high", "medium"  # HazardousWater.Risk values that have a plan


@dataclass(frozen=True)
class Frequencies:
    """Days between patrols, by risk, in peak periods and otherwise."""

    high_peak: int = 3
    high_other: int = 7
    medium_peak: int = 7
    medium_other: int = 30

    def every(self, risk: str, peak: bool) -> int | None:
        """Days between patrols of a water of `risk`; None for a risk without a plan."""
        if risk == HIGH:
            return self.high_peak if peak else self.high_other
        if risk == MEDIUM:
            return self.medium_peak if peak else self.medium_other
        return None


class HolidayError(ValueError):
    """A line of the holidays that is not two dates in order; `line` is 1-based."""

    def __init__(self, line: int, text: str) -> None:
        super().__init__(f"line {line}: {text!r}")
        self.line = line
        self.text = text


def parse_holidays(text: str) -> list[tuple[date, date]]:
    """(first, last) day of each holiday, one a line: `2026-10-01 2026-10-07` (a dash, a tilde
    or 至 between them also works; a single date is a one-day holiday). Blank lines are skipped.
    Raises HolidayError naming the first bad line."""
    periods: list[tuple[date, date]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.replace("至", " ").replace("~", " ").replace("～", " ").replace(",", " ")
        words = parts.replace(" - ", " ").replace("--", " ").split()
        try:
            days = [date.fromisoformat(word) for word in words]
        except ValueError:
            raise HolidayError(number, line) from None
        if len(days) == 1:
            days.append(days[0])
        if len(days) != 2 or days[1] < days[0]:
            raise HolidayError(number, line)
        periods.append((days[0], days[1]))
    return periods


def is_peak(day: date, holidays: list[tuple[date, date]]) -> bool:
    """Whether patrols run at the peak frequency on `day`."""
    return day.month in SUMMER_MONTHS or any(first <= day <= last for first, last in holidays)
