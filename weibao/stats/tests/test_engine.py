"""The engine's grouped figures equal the contract's figure() cell by cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from weibao.accounts.models import Division, User
from weibao.core import contract
from weibao.stats import definitions as defs
from weibao.stats import engine
from weibao.stats.periods import StatPeriod, year_to_date
from weibao.testing import County

pytestmark = pytest.mark.django_db


def test_every_definition_matches_figure_on_an_empty_county(
    county: County, coordinator: User
) -> None:
    periods = [StatPeriod.year(2026), StatPeriod.month(2026, 3), *year_to_date(date(2026, 9, 15))]
    for key, definition in defs.definitions().items():
        found = engine.cells([key], periods, level="county", viewer=coordinator)
        assert len(found) == len(periods)
        for cell in found:
            assert cell.computed_at is not None
            if not definition.is_rate:
                expected = contract.figure(
                    definition.numerator, division=None, period=cell.period.as_period
                )
                assert Decimal(cell.numerator or 0) == Decimal(expected), (key, cell)


def test_township_cells_match_figure_for_every_measure(county: County, coordinator: User) -> None:
    year = StatPeriod.year(2026)
    for key, definition in defs.definitions().items():
        if definition.is_rate or definition.measure is None:
            continue
        for cell in engine.cells([key], [year], level="township", viewer=coordinator):
            town = Division.objects.get(code=cell.division_code)
            expected = contract.figure(key, division=town, period=year.as_period)
            assert Decimal(cell.numerator or 0) == Decimal(expected), (key, cell)
