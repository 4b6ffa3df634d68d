"""Line and bar charts as PNG images, for Word documents (a year's report).

Drawn with matplotlib's Agg canvas, without pyplot (no global state, safe in a worker thread).
The server has no CJK font, so an image holds no words at all: numeric axes, years and months
as numbers, series told apart by colour, line style and marker. The caller writes the title
and the legend as text beside the image, naming each series by its `Style.name` (an English
key such as "blue solid line", which the caller translates): `STYLES[i]` is the i-th series'.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

MM_PER_INCH = 25.4
DPI = 150


@dataclass(frozen=True)
class Style:
    """How one series is drawn, and its description key (for the legend text)."""

    colour: str
    line: str
    marker: str
    name: str


STYLES = (
    Style("#1f5fae", "-", "o", "blue"),
    Style("#c0392b", "--", "s", "red"),
    Style("#2e8b57", ":", "^", "green"),
    Style("#e08e0b", "-.", "D", "orange"),
    Style("#6c3483", "-", "v", "purple"),
    Style("#555555", "--", "x", "grey"),
)


@dataclass(frozen=True)
class Series:
    """One series' values, one per x position; None where there is no figure (or it is
    suppressed): a gap, never a zero."""

    values: Sequence[float | int | None]


def _check_ascii(labels: Sequence[object]) -> list[str]:
    texts = [str(label) for label in labels]
    for text in texts:
        if not text.isascii():
            raise ValueError(f"chart label {text!r} is not ASCII: the server has no CJK font")
    return texts


def _figure(width_mm: float, height_mm: float) -> Figure:
    figure = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _axes(figure: Figure, integer: bool) -> Axes:
    axes = figure.add_subplot(1, 1, 1)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if integer:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return axes


def _check(x: Sequence[object], series: Sequence[Series]) -> list[str]:
    if not series or len(series) > len(STYLES):
        raise ValueError(f"give 1 to {len(STYLES)} series, not {len(series)}")
    for one in series:
        if len(one.values) != len(x):
            raise ValueError("every series needs one value per x position")
    return _check_ascii(x)


def _integer(series: Sequence[Series]) -> bool:
    return all(float(v).is_integer() for one in series for v in one.values if v is not None)


def line_chart(
    x: Sequence[int | str],
    series: Sequence[Series],
    *,
    width_mm: float = 150,
    height_mm: float = 75,
) -> bytes:
    """A line chart from zero up: one line per series, styled by STYLES in order."""
    labels = _check(x, series)
    figure = _figure(width_mm, height_mm)
    axes = _axes(figure, _integer(series))
    positions = list(range(len(labels)))
    for one, style in zip(series, STYLES, strict=False):
        values = [float("nan") if v is None else float(v) for v in one.values]
        axes.plot(positions, values, color=style.colour, linestyle=style.line, marker=style.marker)
    axes.set_xticks(positions, labels)
    axes.set_ylim(bottom=0)
    figure.tight_layout()
    return _png(figure)


def bar_chart(
    x: Sequence[int | str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    width_mm: float = 150,
    height_mm: float = 75,
) -> bytes:
    """Bars per x position: side by side, or stacked (the first series at the bottom)."""
    labels = _check(x, series)
    figure = _figure(width_mm, height_mm)
    axes = _axes(figure, _integer(series))
    positions = list(range(len(labels)))
    count = len(series)
    width = 0.7 if stacked else 0.8 / count
    bottoms = [0.0] * len(labels)
    for index, (one, style) in enumerate(zip(series, STYLES, strict=False)):
        values = [0.0 if v is None else float(v) for v in one.values]
        where: list[float]
        if stacked:
            where = [float(p) for p in positions]
        else:
            where = [p - 0.4 + width * (index + 0.5) for p in positions]
        axes.bar(
            where,
            values,
            width=width,
            bottom=bottoms if stacked else None,
            color=style.colour,
            hatch=("", "//", "..", "xx", "\\\\", "++")[index],
            edgecolor="white",
        )
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_xticks(positions, labels)
    figure.tight_layout()
    return _png(figure)
