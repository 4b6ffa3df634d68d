"""Every indicator of the apps whose figures became declarations (Measures, Stocks, Shares)
gives the same figures as before the conversion: the county and two townships, 2025 and 2026,
on a small seeded demo county (the base county and the parts of those apps only, so that
another app's demo part does not move them), against the figures stored in
measures_expected.json. The same on every database: the demo is seeded alike, and a figure
reads alike (127 hours, not 127.0).

The stored figures were computed by the compute functions before the conversion. When a demo
part changes on purpose, write them again with `WEIBAO_WRITE_MEASURES=1` (before and after a
change to an indicator, never together with one).

And the statistics engine's grouped count (every township and period in one query) gives, cell
by cell, the declaration's own count for that division and period.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db.models import Count, Field
from django.test import override_settings

from weibao.accounts.models import Division
from weibao.core.contract import Counted, Measure, Period, demo_parts, indicators
from weibao.demo.county import demo_county_seed
from weibao.stats import engine
from weibao.stats.periods import StatPeriod, year_to_date

APPS = (
    "people",
    "schools",
    "notices",
    "legalvp",
    "staffchecks",
    "atrisk",
    "drowning",
    "venues",
    "education",
    "casework",
    "family",
    "care",
)
# Seeded too (for the grouped count and the breakdowns), but with no stored figures: the
# declarations they offer were declared so from the start.
SEEDED_ONLY = ("mechanisms",)
EXPECTED = Path(__file__).with_name("measures_expected.json")
AS_OF = date(2026, 11, 20)
YEARS = (2025, 2026)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 20, 2, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def demo(db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda _line: None)
        for app, part in demo_parts():
            if app.label in APPS or app.label in SEEDED_ONLY:
                part(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda _line: None)


def figures() -> dict[str, str]:
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP).order_by("code")[:2])
    found = {}
    for key, indicator in sorted(indicators().items()):
        if key.split(".")[0] not in APPS:
            continue
        for division in (None, *townships):
            for year in YEARS:
                figure = indicator.figure(division=division, period=Period.year(year))
                name = division.code if division else "county"
                found[f"{key} {name} {year}"] = str(figure)
    return found


def breakdown_field(measure: Counted) -> Field[Any, Any]:
    model = measure.rows().model
    *path, last = measure.breakdown.split("__")
    for name in path:
        model = model._meta.get_field(name).related_model
    field = model._meta.get_field(last)
    assert isinstance(field, Field)
    return field


def check_breakdowns() -> None:
    """Each breakdown is a choices field, and its categories add up to the figure."""
    period = Period.year(AS_OF.year)
    for key, indicator in indicators().items():
        measure = indicator.measure
        if measure is None or not measure.breakdown:
            continue
        assert breakdown_field(measure).choices, key
        rows = measure.filtered(division=None, period=period)
        aggregate = measure.value() if measure.value else Count("pk")
        split = rows.values(measure.breakdown).annotate(n=aggregate).order_by()
        parts = sum(int(row["n"] or 0) for row in split)
        assert parts == indicator.figure(division=None, period=period), key


def test_every_figure_as_before_the_conversion(demo: None) -> None:
    found = figures()
    if os.environ.get("WEIBAO_WRITE_MEASURES"):
        EXPECTED.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert found == expected
    assert any(value != "0" for value in found.values())
    check_breakdowns()


def many_valued(model: Any, path: str) -> bool:
    """Whether the path crosses a reverse foreign key or a many-to-many relation."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def test_a_measure_placed_through_many_rows_is_not_summed_over_townships() -> None:
    """A row reaching two townships through its `where` counts in each, and once in the county:
    such a Measure must count distinct rows and say it is not additive, so that the county is
    counted by a group of its own (not as the sum of its townships)."""
    for key, indicator in indicators().items():
        measure = indicator.measure
        if not isinstance(measure, Measure):
            continue
        paths = (measure.where,) if isinstance(measure.where, str) else measure.where
        if not any(many_valued(measure.rows().model, path) for path in paths):
            continue
        assert measure.value is not None, key
        assert not measure.additive, key


def test_the_grouped_count_is_each_cells_own_count(demo: None) -> None:
    """The engine's tables (grouped by township and month, by the period's conditions, the
    county by its own group or as the sum of all) equal each declaration's count, for every
    kind of period, in the county and every township."""
    where = engine.area()
    periods = [
        StatPeriod.year(2025),
        StatPeriod.year(2026),
        StatPeriod.half(2026, 1),
        StatPeriod.quarter(2026, 3),
        StatPeriod.month(2026, 3),
        StatPeriod.term(2026, 1),
        *year_to_date(AS_OF),
    ]
    checked = 0
    for key, indicator in sorted(indicators().items()):
        if indicator.compute is not None:
            continue
        table = engine.indicator_table(key, periods, where)
        for period in periods:
            for division in (None, *where.townships):
                code = division.code if division else where.county.code
                own = indicator.figure(division=division, period=period.as_period)
                assert table[(period.key, code, "")] == own, (key, period.key, code)
                checked += own != 0
    assert checked > 100
