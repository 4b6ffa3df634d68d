"""Small-cell suppression: no child can be recognised from a published figure.

For viewers outside the lead agencies, the counts of definitions with `small_cells` are
suppressed when they are small: primary suppression of every count with
0 < count < STATS_SMALL_CELL (a setting, default 5), and complementary suppression so that no
suppressed count can be recovered by subtracting the published ones from a published total.
A table is given as its cells and its lines: each line is a set of cells adding up to a
total (the townships of a period adding up to the county, the categories of a breakdown adding
up to their division's figure, the months adding up to the year). A line is an equation: in
every line with exactly one suppressed cell among its members and its total (a hidden total
whose parts are all published is as recoverable as a hidden part), the next smallest member is
suppressed too; lines are passed over again until nothing changes (a cell suppressed for one
line may leave another with one). When a line has no member left to suppress, its total is
suppressed instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from django.conf import settings

K = TypeVar("K", bound=Hashable)


def small_cell_threshold() -> int:
    """Counts below this (and above 0) are suppressed (settings.STATS_SMALL_CELL, default 5)."""
    return int(getattr(settings, "STATS_SMALL_CELL", 5))


def is_small(value: int | Decimal | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


@dataclass(frozen=True)
class Line(Generic[K]):
    """Cells that add up to `total` (a key among the values, or None when no total is
    published)."""

    members: Sequence[K]
    total: K | None = None


def suppress(
    values: Mapping[K, int | Decimal | None],
    lines: Iterable[Line[K]],
    *,
    threshold: int | None = None,
    exempt: Set[K] = frozenset(),
    fixed: Mapping[K, bool] | None = None,
) -> set[K]:
    """The keys of `values` to suppress: the small ones, and enough others that none of them
    can be recovered from a line's published total.

    `exempt` keys are published totals, never suppressed for being small (only as a last
    resort, when a line has nothing else left). `fixed` keys have their pattern decided
    already (key -> suppressed), by an earlier pass over a coarser table (the years before
    their months, the whole figures before their categories), so that every view of the same
    figure shows the same pattern."""
    limit = small_cell_threshold() if threshold is None else threshold
    fixed = fixed or {}
    hidden = {key for key, is_hidden in fixed.items() if is_hidden}
    hidden |= {
        key
        for key, value in values.items()
        if key not in exempt and key not in fixed and is_small(value, limit)
    }
    lines = [line for line in lines if line.members]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.total is None:
                continue  # no total: nothing to subtract from
            members = [m for m in line.members if m in values]
            unknown = sum(1 for m in [*members, line.total] if m in hidden)
            if unknown != 1:
                continue  # all published, or two unknowns in the line: none can be told
            others = [m for m in members if m not in hidden and m not in fixed]
            if others:
                order = {m: i for i, m in enumerate(members)}
                hidden.add(min(others, key=lambda m: (values[m] or 0, order[m])))
            elif line.total not in fixed and line.total not in hidden:
                hidden.add(line.total)
            else:
                continue
            changed = True
    return hidden
