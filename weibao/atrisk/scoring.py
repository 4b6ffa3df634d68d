"""The early-warning risk score: recent events weighted and decayed by age, plus risk factors.

Pure, so the nightly bulk recompute and the immediate update after an event give the same number,
and the minor's page can show the score as the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from weibao.atrisk.grading import EventFacts


@dataclass(frozen=True)
class Weights:
    """The county-editable weights (a GradingRuleSet supplies them)."""

    misconduct: float = 10.0
    serious: float = 30.0
    criminal: float = 40.0
    flag: float = 10.0
    factor: float = 5.0
    half_life_days: float = 180.0
    window_days: int = 730


@dataclass(frozen=True)
class Part:
    kind: str  # "event" or "factor"
    label: str  # event date and codes, or the factor's kind
    base: float
    decay: float
    points: float

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "label": self.label,
            "base": self.base,
            "decay": self.decay,
            "points": self.points,
        }


@dataclass(frozen=True)
class Score:
    total: float
    parts: tuple[Part, ...]


def event_base(event: EventFacts, weights: Weights) -> float:
    """An event's weight before decay: its most serious code, plus each legal flag."""
    if event.criminal_conduct:
        base = weights.criminal
    elif event.serious:
        base = weights.serious
    elif event.misconduct:
        base = weights.misconduct
    else:
        base = 0.0
    flags = sum((event.repeated, event.refuses_correction, event.grave))
    return base + flags * weights.flag


def decay(age_days: int, half_life_days: float) -> float:
    """Exponential decay: an event half_life_days old counts half."""
    if half_life_days <= 0:
        return 1.0
    return float(0.5 ** (max(age_days, 0) / half_life_days))


def score(
    events: Sequence[EventFacts],
    factors: Sequence[str],
    on: date,
    weights: Weights = Weights(),
) -> Score:
    """The total and its parts, rounded to one decimal (parts sum to the total as shown)."""
    parts: list[Part] = []
    for event in sorted(events, key=lambda e: e.on, reverse=True):
        age = (on - event.on).days
        if age > weights.window_days or age < 0:
            continue
        base = event_base(event, weights)
        if not base:
            continue
        factor = decay(age, weights.half_life_days)
        label = f"{event.on.isoformat()} {','.join(sorted(event.codes))}"
        parts.append(Part("event", label, base, round(factor, 3), round(base * factor, 1)))
    for kind in sorted(set(factors)):
        parts.append(Part("factor", kind, weights.factor, 1.0, round(weights.factor, 1)))
    total = round(sum(part.points for part in parts), 1)
    return Score(total, tuple(parts))
