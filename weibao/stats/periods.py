"""The periods statistics are counted over: years, halves, quarters, months, school terms, and the
year to date.

Every period is a half-open span of days [start, end), like `contract.Period`, with a stable key
("2021", "2021H1", "2021Q3", "2021-03", "2021T1", "2021YTD1204") and a label in the reader's
language (2021年, 2021年上半年, 2021年第三季度, 2021年3月, 2021—2022学年第一学期).

School terms are counted as whole months so that they roll up from months: the first term of
the school year Y–Y+1 is 1 September Y to 31 January Y+1 ("YT1"), the second 1 February to
31 August Y+1 ("YT2"). The year to date runs from 1 January to a given day inclusive; the same
span last year ends on the same day and month (28 February for a 29 February).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.core.contract import Period


class Kind(models.TextChoices):
    YEAR = "year", gettext_lazy("year")
    HALF = "half", gettext_lazy("half-year")
    QUARTER = "quarter", gettext_lazy("quarter")
    MONTH = "month", gettext_lazy("month")
    TERM = "term", gettext_lazy("school term")
    TO_DATE = "to_date", gettext_lazy("year to date")


def _month_start(year: int, month: int) -> date:
    """The first day of a month counted from January `year` (month may run past 12)."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


@dataclass(frozen=True)
class StatPeriod:
    """One period: its kind, first day and the day after its last (half-open)."""

    kind: str
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> StatPeriod:
        return cls(Kind.YEAR, date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def half(cls, year: int, half: int) -> StatPeriod:
        return cls(Kind.HALF, _month_start(year, 6 * half - 5), _month_start(year, 6 * half + 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> StatPeriod:
        start = _month_start(year, 3 * quarter - 2)
        return cls(Kind.QUARTER, start, _month_start(year, 3 * quarter + 1))

    @classmethod
    def month(cls, year: int, month: int) -> StatPeriod:
        return cls(Kind.MONTH, date(year, month, 1), _month_start(year, month + 1))

    @classmethod
    def term(cls, school_year: int, term: int) -> StatPeriod:
        """Term 1: September to January; term 2: February to August (of school_year + 1)."""
        if term == 1:
            return cls(Kind.TERM, date(school_year, 9, 1), date(school_year + 1, 2, 1))
        return cls(Kind.TERM, date(school_year + 1, 2, 1), date(school_year + 1, 9, 1))

    @classmethod
    def to_date(cls, last_day: date) -> StatPeriod:
        """1 January to `last_day`, inclusive."""
        return cls(Kind.TO_DATE, date(last_day.year, 1, 1), last_day + timedelta(days=1))

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @functools.cached_property
    def key(self) -> str:
        s = self.start
        if self.kind == Kind.YEAR:
            return f"{s.year}"
        if self.kind == Kind.HALF:
            return f"{s.year}H{1 if s.month == 1 else 2}"
        if self.kind == Kind.QUARTER:
            return f"{s.year}Q{(s.month - 1) // 3 + 1}"
        if self.kind == Kind.MONTH:
            return f"{s.year}-{s.month:02d}"
        if self.kind == Kind.TERM:
            return f"{s.year}T1" if s.month == 9 else f"{s.year - 1}T2"
        return f"{s.year}YTD{self.last_day:%m%d}"

    @property
    def label(self) -> str:
        s = self.start
        year = s.year
        if self.kind == Kind.YEAR:
            return _("%(year)d") % {"year": year}
        if self.kind == Kind.HALF:
            if s.month == 1:
                return _("first half of %(year)d") % {"year": year}
            return _("second half of %(year)d") % {"year": year}
        if self.kind == Kind.QUARTER:
            labels = {
                1: _("first quarter of %(year)d"),
                4: _("second quarter of %(year)d"),
                7: _("third quarter of %(year)d"),
                10: _("fourth quarter of %(year)d"),
            }
            return labels[s.month] % {"year": year}
        if self.kind == Kind.MONTH:
            return _("%(month)d/%(year)d") % {"month": s.month, "year": year}
        if self.kind == Kind.TERM:
            if s.month == 9:
                text = _("%(year)d–%(next)d school year, first term")
                return text % {"year": year, "next": year + 1}
            text = _("%(year)d–%(next)d school year, second term")
            return text % {"year": year - 1, "next": year}
        last = self.last_day
        return _("%(year)d, 1 January to %(day)d/%(month)d") % {
            "year": year,
            "month": last.month,
            "day": last.day,
        }

    @property
    def as_period(self) -> Period:
        """The contract's half-open period."""
        return Period(self.start, self.end)

    @property
    def whole_months(self) -> bool:
        """Whether the period is made of whole months (so it can be summed from months)."""
        return self.start.day == 1 and self.end.day == 1

    def months(self) -> list[StatPeriod]:
        """The months the period is made of (only for `whole_months` periods)."""
        found, start = [], self.start
        while start < self.end:
            month = StatPeriod.month(start.year, start.month)
            found.append(month)
            start = month.end
        return found

    @property
    def year_of(self) -> int:
        """The year a population figure is taken for: the year the period starts in."""
        return self.start.year

    def __str__(self) -> str:
        return self.label


def periods(kind: str, first_year: int, last_year: int) -> list[StatPeriod]:
    """Every period of `kind` in the years `first_year` to `last_year`, in order. For terms the
    years are school years (2021 gives 2021T1 and 2021T2); for the year to date, each year's
    span to today's day and month."""
    years = range(first_year, last_year + 1)
    if kind == Kind.YEAR:
        return [StatPeriod.year(y) for y in years]
    if kind == Kind.HALF:
        return [StatPeriod.half(y, h) for y in years for h in (1, 2)]
    if kind == Kind.QUARTER:
        return [StatPeriod.quarter(y, q) for y in years for q in (1, 2, 3, 4)]
    if kind == Kind.MONTH:
        return [StatPeriod.month(y, m) for y in years for m in range(1, 13)]
    if kind == Kind.TERM:
        return [StatPeriod.term(y, t) for y in years for t in (1, 2)]
    if kind == Kind.TO_DATE:
        from django.utils import timezone

        today = timezone.localdate()
        return [StatPeriod.to_date(_same_day(today, y)) for y in years]
    raise ValueError(f"unknown period kind {kind!r}")


_KEY = re.compile(
    r"^(?P<year>\d{4})(?:"
    r"(?P<half>H[12])|(?P<quarter>Q[1-4])|-(?P<month>0[1-9]|1[0-2])|(?P<term>T[12])"
    r"|YTD(?P<ytd>\d{4}))?$"
)


def parse(key: str) -> StatPeriod:
    """The period with this key; ValueError for a key that names none."""
    found = _KEY.match(key.strip())
    if not found:
        raise ValueError(f"not a period key: {key!r}")
    year = int(found["year"])
    if year < 1900:
        raise ValueError(f"not a period key: {key!r}")
    if found["half"]:
        return StatPeriod.half(year, int(found["half"][1]))
    if found["quarter"]:
        return StatPeriod.quarter(year, int(found["quarter"][1]))
    if found["month"]:
        return StatPeriod.month(year, int(found["month"]))
    if found["term"]:
        return StatPeriod.term(year, int(found["term"][1]))
    if found["ytd"]:
        try:
            return StatPeriod.to_date(date(year, int(found["ytd"][:2]), int(found["ytd"][2:])))
        except ValueError:
            raise ValueError(f"not a period key: {key!r}") from None
    return StatPeriod.year(year)


def _same_day(day: date, year: int) -> date:
    """The same day and month in `year`; 28 February for a 29 February in a common year."""
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def year_to_date(today: date) -> tuple[StatPeriod, StatPeriod]:
    """This year from 1 January to `today` inclusive, and the same span last year."""
    return StatPeriod.to_date(today), StatPeriod.to_date(_same_day(today, today.year - 1))
