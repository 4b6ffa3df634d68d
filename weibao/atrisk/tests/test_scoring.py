"""The risk score: weights by seriousness and flags, exponential decay by age, factors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from weibao.atrisk.grading import EventFacts
from weibao.atrisk.scoring import Weights, decay, score

ON = date(2026, 11, 1)


def ev(days_ago: int, *codes: str, **flags: Any) -> EventFacts:
    return EventFacts(ON - timedelta(days=days_ago), frozenset(codes), **flags)


def test_decay_halves_at_the_half_life():
    assert decay(0, 180) == 1.0
    assert decay(180, 180) == 0.5
    assert decay(360, 180) == 0.25


def test_weights_by_seriousness_and_flags():
    w = Weights(misconduct=10, serious=30, criminal=40, flag=10, factor=5)
    assert score([ev(0, "BL01")], [], ON, w).total == 10
    assert score([ev(0, "BL01", "SB04")], [], ON, w).total == 30
    assert score([ev(0, "SB00")], [], ON, w).total == 40
    assert score([ev(0, "SB04", grave=True, repeated=True)], [], ON, w).total == 50


def test_old_events_count_less_and_outside_the_window_not_at_all():
    w = Weights(serious=30, half_life_days=100, window_days=365)
    assert score([ev(100, "SB04")], [], ON, w).total == 15
    assert score([ev(400, "SB04")], [], ON, w).total == 0


def test_factors_add_and_parts_explain_the_total():
    w = Weights(misconduct=10, factor=5)
    result = score([ev(0, "BL02")], ["left_behind", "hardship"], ON, w)
    assert result.total == 20
    assert [p.kind for p in result.parts] == ["event", "factor", "factor"]
    assert sum(p.points for p in result.parts) == result.total
    assert result.parts[0].label.endswith("BL02")


def test_county_weights_change_the_score():
    heavy = Weights(misconduct=25)
    assert score([ev(0, "BL02")], [], ON, heavy).total == 25
