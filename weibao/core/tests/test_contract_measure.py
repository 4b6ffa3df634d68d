"""A declared Measure counts the rows dated in the period within the division, by date or
datetime, with its aggregate; an Indicator takes exactly one of a measure and a compute."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Sum

from weibao.accounts.models import Organisation
from weibao.core.contract import Indicator, Measure, Period
from weibao.testing import County

YEAR = Period.year(2025)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _units() -> Measure:
    return Measure(rows=Organisation.objects.all, on="created_at", where="division")


@pytest.mark.django_db
def test_measure_counts_by_local_date_and_division_prefix(county: County) -> None:
    a, b = county.school_a, county.school_b
    # 2025-12-31 23:30 in Shanghai is 15:30 UTC: inside 2025 by the county's day.
    Organisation.objects.filter(pk=a.pk).update(
        created_at=datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI)
    )
    Organisation.objects.filter(pk=b.pk).update(
        created_at=datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI)
    )
    Organisation.objects.exclude(pk__in=[a.pk, b.pk]).update(
        created_at=datetime(2024, 5, 1, tzinfo=SHANGHAI)
    )
    measure = _units()
    assert measure.count(division=None, period=YEAR) == 1
    assert measure.count(division=county.township_a, period=YEAR) == 1
    assert measure.count(division=county.township_b, period=YEAR) == 0
    assert measure.count(division=None, period=Period.year(2026)) == 1
    assert list(measure.filtered(division=None, period=YEAR)) == [a]


@pytest.mark.django_db
def test_measure_aggregate_and_date_field(county: County) -> None:
    Organisation.objects.update(created_at=datetime(2025, 3, 1, tzinfo=SHANGHAI))
    distinct = Measure(
        rows=Organisation.objects.all,
        on="created_at",
        where="division",
        value=lambda: Count("division", distinct=True),
        additive=False,
    )
    assert (
        distinct.count(division=None, period=YEAR)
        == Organisation.objects.values("division").distinct().count()
    )
    summed = Measure(
        rows=Organisation.objects.all, on="created_at", where="division", value=lambda: Sum("pk")
    )
    assert summed.count(division=None, period=Period(date(2026, 1, 1), date(2026, 2, 1))) == 0


def test_indicator_takes_one_source() -> None:
    with pytest.raises(ValueError):
        Indicator(key="x", label="x", unit="x")
    with pytest.raises(ValueError):
        Indicator(key="x", label="x", unit="x", compute=lambda **_: 0, measure=_units())
