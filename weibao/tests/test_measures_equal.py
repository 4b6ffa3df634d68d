"""Every indicator of the apps whose figures became declared Measures gives the same figures as
before the conversion: the county and two townships, 2025 and 2026, on a small seeded demo
county (the base county and the parts of those apps only, so that another app's demo part does
not move them), against the figures stored in measures_expected.json.

The stored figures were computed by the compute functions before the conversion. When a demo
part changes on purpose, write them again with `WEIBAO_WRITE_MEASURES=1` (before and after a
change to an indicator, never together with one).
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
from django.db import connection
from django.db.models import Count, Field
from django.test import override_settings

from weibao.accounts.models import Division
from weibao.core.contract import Measure, Period, demo_parts, indicators
from weibao.demo.county import demo_county_seed

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
            if app.label in APPS:
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


def breakdown_field(measure: Measure) -> Field[Any, Any]:
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


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the stored figures were taken from the demo as seeded on SQLite; PostgreSQL returns "
    "unordered rows in another order, so the seeded demo itself differs",
)
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
        if measure is None or not many_valued(measure.rows().model, measure.where):
            continue
        assert measure.value is not None, key
        assert not measure.additive, key
