"""No suppressed count can be recovered by subtracting the published ones from a total."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from weibao.stats.suppression import Line, suppress


def recoverable(values: dict, lines: list[Line], hidden: set) -> bool:
    """Whether some line with a published total has exactly one hidden member."""
    for line in lines:
        if line.total is None or line.total in hidden:
            continue
        if sum(1 for m in line.members if m in hidden) == 1:
            return True
    return False


def test_primary_and_complementary() -> None:
    values = {"a": 3, "b": 40, "c": 12, "county": 55}
    lines = [Line(["a", "b", "c"], "county")]
    hidden = suppress(values, lines, threshold=5, exempt={"county"})
    assert hidden == {"a", "c"}


def test_zero_is_not_small_but_may_complement() -> None:
    values = {"a": 0, "b": 2, "c": 30, "county": 32}
    hidden = suppress(values, [Line(["a", "b", "c"], "county")], threshold=5, exempt={"county"})
    assert hidden == {"a", "b"}


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(1, 4),
    cols=st.integers(1, 6),
    data=st.data(),
    threshold=st.integers(2, 6),
)
def test_two_way_table_never_leaks(
    rows: int, cols: int, data: st.DataObject, threshold: int
) -> None:
    cells = {(r, c): data.draw(st.integers(0, 12)) for r in range(rows) for c in range(cols)}
    values: dict = dict(cells)
    lines: list[Line[Any]] = []
    for r in range(rows):
        values[(r, "total")] = sum(cells[(r, c)] for c in range(cols))
        lines.append(Line([(r, c) for c in range(cols)], (r, "total")))
    for c in range(cols):
        values[("total", c)] = sum(cells[(r, c)] for r in range(rows))
        lines.append(Line([(r, c) for r in range(rows)], ("total", c)))
    hidden = suppress(values, lines, threshold=threshold)
    assert all(k in hidden for k, v in cells.items() if 0 < v < threshold)
    assert not recoverable(values, lines, hidden)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=12), st.integers(2, 6))
def test_townships_never_leak_from_a_published_county(towns: list[int], threshold: int) -> None:
    values: dict = {i: v for i, v in enumerate(towns)}
    values["county"] = sum(towns)
    lines = [Line(list(range(len(towns))), "county")]
    hidden = suppress(values, lines, threshold=threshold, exempt={"county"})
    assert all(i in hidden for i, v in enumerate(towns) if 0 < v < threshold)
    assert not recoverable(values, lines, hidden)
    # With a suppressed township, the county's figure minus the published ones is the sum of
    # at least two hidden figures (or the county itself is withheld).
    if hidden - {"county"} and "county" not in hidden:
        assert len(hidden - {"county"}) >= 2
