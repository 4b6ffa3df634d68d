"""Honest small numbers: exact intervals and tests for the few dozen cases a county counts.

A county has a handful of drownings or prosecutions a year, so a year-on-year percentage swings
wildly by chance. These rules say how much: the exact (Garwood) Poisson interval for a count,
the exact conditional test of two Poisson counts with their exposures (the binomial test of the
second count given the total), and the rule that a percentage change on a small base is not
shown as if it meant something. Pure Python (no scipy): sums of Poisson and binomial terms in
log space, and bisection.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

BASE_THRESHOLD = 10


def _poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    log_mean = math.log(mean)
    terms = [i * log_mean - mean - math.lgamma(i + 1) for i in range(k + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def _bisect(f: Callable[[float], float], low: float, high: float) -> float:
    """The root of a decreasing function `f` on [low, high] (f(low) > 0 > f(high))."""
    for _ in range(200):
        mid = (low + high) / 2
        if f(mid) > 0:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def poisson_interval(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) two-sided interval for the mean of a Poisson count.

    Lower: the mean at which a count of `count` or more has probability alpha/2 (0 for a zero
    count); upper: the mean at which `count` or fewer has probability alpha/2. Equal to
    chi2(alpha/2, 2k)/2 and chi2(1 - alpha/2, 2k + 2)/2.
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    alpha = 1 - confidence
    high = max(10.0, count * 3 + 50.0)
    upper = _bisect(lambda m: _poisson_cdf(count, m) - alpha / 2, 0.0, high)
    if count == 0:
        return 0.0, upper
    # P(X >= k; m) = 1 - cdf(k - 1; m) rises with m: find where it reaches alpha / 2.
    lower = _bisect(lambda m: alpha / 2 - (1 - _poisson_cdf(count - 1, m)), 0.0, high)
    return lower, upper


def _binom_logpmf(k: int, n: int, p: float) -> float:
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_test(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial p-value: the probability of every outcome no likelier than `k`
    (the "minimum likelihood" rule, as R's binom.test and scipy's binomtest)."""
    if not 0 <= k <= n:
        raise ValueError("k must lie between 0 and n")
    if n == 0:
        return 1.0
    observed = _binom_logpmf(k, n, p)
    slack = 1e-7  # relative: outcomes as likely as the observed one, up to rounding
    total = 0.0
    for i in range(n + 1):
        logpmf = _binom_logpmf(i, n, p)
        if logpmf <= observed + math.log1p(slack):
            total += math.exp(logpmf)
    return min(1.0, total)


def poisson_rates_test(c1: int, e1: float, c2: int, e2: float) -> float:
    """Two-sided p-value that two Poisson counts `c1` (exposure `e1`) and `c2` (exposure `e2`)
    have the same rate: the exact conditional test, c2 given c1 + c2 being binomial with
    p = e2 / (e1 + e2)."""
    if c1 < 0 or c2 < 0:
        raise ValueError("a count cannot be negative")
    if e1 <= 0 or e2 <= 0:
        raise ValueError("an exposure must be positive")
    return binomial_test(c2, c1 + c2, e2 / (e1 + e2))


def change_within_chance(c1: int, e1: float, c2: int, e2: float, alpha: float = 0.05) -> bool:
    """Whether the change from `c1` (exposure `e1`) to `c2` (exposure `e2`) is within what
    chance alone would give (the exact test does not reject equal rates at `alpha`)."""
    return poisson_rates_test(c1, e1, c2, e2) >= alpha


def base_too_small(base: int | float | Decimal, threshold: int = BASE_THRESHOLD) -> bool:
    """A percentage change on a base below `threshold` is not shown as a percentage."""
    return base < threshold


def percent_change(
    base: int | float | Decimal, now: int | float | Decimal, threshold: int = BASE_THRESHOLD
) -> Decimal | None:
    """The change from `base` to `now` in per cent, one decimal, half up; None when the base is
    too small to give a meaningful percentage (`base_too_small`)."""
    if base_too_small(base, threshold) or not base:
        return None
    change = (Decimal(str(now)) - Decimal(str(base))) * 100 / Decimal(str(base))
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
