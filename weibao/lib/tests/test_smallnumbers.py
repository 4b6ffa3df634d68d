from __future__ import annotations

from decimal import Decimal

import pytest

from weibao.lib.smallnumbers import (
    base_too_small,
    binomial_test,
    change_within_chance,
    percent_change,
    poisson_interval,
    poisson_rates_test,
)


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    [  # Garwood 95 % limits, as in the statistics tables (chi-square / 2)
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (7, 2.814, 14.423),
        (34, 23.546, 47.512),
    ],
)
def test_garwood_interval(count: int, lower: float, upper: float) -> None:
    low, high = poisson_interval(count)
    assert low == pytest.approx(lower, abs=1e-3)
    assert high == pytest.approx(upper, abs=1e-3)


def test_binomial_test_against_known_values() -> None:
    assert binomial_test(3, 10, 0.5) == pytest.approx(0.34375)
    assert binomial_test(0, 0, 0.5) == 1.0
    assert binomial_test(10, 10, 0.5) == pytest.approx(2 / 1024)


def test_poisson_rates_test_and_chance() -> None:
    # 14 last year, 4 this year, same exposure: the 71.4 % fall is beyond chance (p ≈ 0.031)
    assert poisson_rates_test(14, 1, 4, 1) == pytest.approx(0.030884, abs=1e-5)
    assert not change_within_chance(14, 1, 4, 1)
    # 3 against 5 is well within chance
    assert change_within_chance(3, 1, 5, 1)
    # exposures count: twice the minors, twice the cases is no change
    assert poisson_rates_test(10, 1000, 20, 2000) == pytest.approx(1.0)


def test_bad_input_refused() -> None:
    with pytest.raises(ValueError):
        poisson_interval(-1)
    with pytest.raises(ValueError):
        poisson_rates_test(1, 0, 1, 1)


def test_percent_change_and_small_base() -> None:
    assert percent_change(14, 4) == Decimal("-71.4")
    assert percent_change(9, 18) is None
    assert base_too_small(9) and not base_too_small(10)
    assert base_too_small(4, threshold=5) and percent_change(4, 8, threshold=4) == Decimal(100)
