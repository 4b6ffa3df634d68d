"""The leaders' dashboard: the two double-decrease tiles and the panels (charts), each built
from one engine call that reads the figure cache, and each panel's table, the very numbers its
chart draws, which the "data as Excel" link exports (weibao.stats.exports).

A suppressed cell is drawn as a gap (never a zero) and written as "<5" in a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from weibao.accounts.models import Division, User
from weibao.stats import engine, services
from weibao.stats.definitions import TOWNSHIP, Definition, definitions
from weibao.stats.models import TargetState
from weibao.stats.periods import StatPeriod, periods, year_to_date

FIRST_YEAR = 2017

ARRESTED = "crimes.minors_arrested"
PROSECUTED = "crimes.minors_prosecuted"
SUSPECTS = "crimes.minor_suspects"
SUSPECTS_14_16 = "crimes.suspects_14_16"
SUSPECTS_UNDER_14 = "crimes.suspects_under_14"
PROSECUTED_CASES = "crimes.prosecuted_cases"
GANG_CASES = "crimes.prosecuted_gang_cases"
VICTIMS = "crimes.minor_victims"
DEATHS = "drowning.deaths"
CRIME_RATE = "stats.crime_rate"
DROWNING_RATE = "stats.drowning_rate"
GANG_SHARE = "stats.gang_share"

SAVE_AS_IMAGE = gettext_lazy("Save as image")


def small_cell() -> int:
    return int(getattr(settings, "STATS_SMALL_CELL", 5))


def suppressed_text() -> str:
    return f"<{small_cell()}"


def shown(cell: engine.Cell | None, part: str = "value") -> Any:
    """A cell's figure as a table writes it: the number, "<5" when suppressed, "" when none."""
    if cell is None:
        return ""
    if cell.suppressed:
        return suppressed_text()
    figure = getattr(cell, part)
    return "" if figure is None else figure


def plotted(cell: engine.Cell | None, part: str = "value") -> float | int | None:
    """A cell's figure as a chart draws it: None (a gap) when suppressed or missing."""
    if cell is None or cell.suppressed:
        return None
    figure = getattr(cell, part)
    if figure is None:
        return None
    return float(figure) if isinstance(figure, Decimal) else figure


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Panel:
    """One chart of the dashboard and the table of its numbers."""

    slug: str
    title: str
    option: dict[str, Any]
    table: Table
    empty: bool = False
    note: str = ""
    computed_at: datetime | None = None


def _labels() -> dict[str, Definition]:
    return definitions()


def label_of(key: str, known: dict[str, Definition] | None = None) -> str:
    known = _labels() if known is None else known
    definition = known.get(key)
    return str(definition.label) if definition is not None else key


def toolbox() -> dict[str, Any]:
    return {
        "right": 10,
        "feature": {"saveAsImage": {"type": "png", "pixelRatio": 2, "title": str(SAVE_AS_IMAGE)}},
    }


def series_option(
    x: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | int | None]]],
    *,
    kind: str = "line",
    stacked: bool = False,
    percent: bool = False,
) -> dict[str, Any]:
    """An ECharts option: one line or bar series per (name, values), x as categories."""
    option: dict[str, Any] = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "left": 0},
        "toolbox": toolbox(),
        "grid": {"left": 40, "right": 20, "top": 40, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": list(x)},
        "yAxis": {"type": "value", "minInterval": 0 if percent else 1},
        "series": [],
    }
    if percent:
        option["yAxis"]["axisLabel"] = {"formatter": "{value}%"}
    for name, values in series:
        one: dict[str, Any] = {"name": name, "type": kind, "data": list(values)}
        if kind == "line":
            one["connectNulls"] = False
        if stacked:
            one["stack"] = "all"
        option["series"].append(one)
    return option


def latest(cells: Sequence[engine.Cell]) -> datetime | None:
    times = [c.computed_at for c in cells if c.computed_at is not None]
    return min(times) if times else None


def year_periods(today: date) -> list[StatPeriod]:
    return periods("year", FIRST_YEAR, today.year)


def year_label(period: StatPeriod, today: date) -> str:
    if period.start.year == today.year and today < date(today.year, 12, 31):
        return _("%(year)s (to date)") % {"year": period.start.year}
    return str(period.start.year)


def _grid(cells: Sequence[engine.Cell]) -> dict[tuple[str, str, str], engine.Cell]:
    return {(c.key, c.period.key, c.division_code): c for c in cells}


def _years_panel(
    slug: str,
    title: str,
    keys: Sequence[str],
    viewer: User,
    today: date,
    *,
    kind: str = "line",
    stacked: bool = False,
    names: Sequence[str] = (),
) -> Panel:
    """One series per key, one point per year since FIRST_YEAR, from one engine call."""
    known = _labels()
    keys = [k for k in keys if k in known]
    spans = year_periods(today)
    cells = engine.cells(keys, spans, level="county", viewer=viewer) if keys else []
    by_key = {(c.key, c.period.key): c for c in cells}
    x = [year_label(p, today) for p in spans]
    labels = list(names) or [label_of(k, known) for k in keys]
    series = [
        (label, [plotted(by_key.get((k, p.key))) for p in spans])
        for k, label in zip(keys, labels, strict=False)
    ]
    percent = any(known[k].is_rate and known[k].factor == 100 for k in keys)
    rows = [[x[i], *(shown(by_key.get((k, p.key))) for k in keys)] for i, p in enumerate(spans)]
    return Panel(
        slug,
        title,
        series_option(x, series, kind=kind, stacked=stacked, percent=percent),
        Table([pgettext("statistics", "Year"), *labels], rows),
        empty=not keys,
        computed_at=latest(cells),
    )


def trend_panel(viewer: User, today: date) -> Panel:
    return _years_panel(
        "trend",
        _("Minors arrested and prosecuted, drowning deaths, by year"),
        [ARRESTED, PROSECUTED, DEATHS],
        viewer,
        today,
    )


def ages_panel(viewer: User, today: date) -> Panel:
    """Suspects by age band per year, stacked: under 14, 14 to 16, 16 to 18 (the rest)."""
    known = _labels()
    keys = [k for k in (SUSPECTS_UNDER_14, SUSPECTS_14_16, SUSPECTS) if k in known]
    spans = year_periods(today)
    cells = engine.cells(keys, spans, level="county", viewer=viewer) if len(keys) == 3 else []
    by_key = {(c.key, c.period.key): c for c in cells}
    x = [year_label(p, today) for p in spans]
    bands: list[list[Any]] = [[], [], []]
    table_rows = []
    for index, period in enumerate(spans):
        under, middle, total = (by_key.get((k, period.key)) for k in keys) if cells else (None,) * 3
        values = [plotted(under), plotted(middle)]
        older = None
        hidden = any(c is None or c.suppressed for c in (under, middle, total))
        if not hidden and None not in values and plotted(total) is not None:
            older = int(plotted(total) or 0) - int(values[0] or 0) - int(values[1] or 0)
        for band, value in zip(bands, [*values, None if hidden else older], strict=True):
            band.append(value)
        older_text = suppressed_text() if hidden and cells else ("" if older is None else older)
        table_rows.append([x[index], shown(under), shown(middle), older_text, shown(total)])
    names = [_("Under 14"), _("14 to 16"), _("16 to 18")]
    return Panel(
        "ages",
        _("Minor suspects by age at the offence, by year"),
        series_option(x, list(zip(names, bands, strict=True)), kind="bar", stacked=True),
        Table([pgettext("statistics", "Year"), *names, _("All minor suspects")], table_rows),
        empty=not cells,
        computed_at=latest(cells),
    )


def gang_panel(viewer: User, today: date) -> Panel:
    return _years_panel(
        "gang",
        _("Gang crime's share of prosecuted cases, by year"),
        [GANG_SHARE],
        viewer,
        today,
        kind="bar",
    )


def _breakdown_panel(
    slug: str, title: str, key: str, viewer: User, today: date, category: str
) -> Panel:
    """A key's breakdown by category for this year and last year, side by side."""
    known = _labels()
    this, last = year_periods(today)[-1], year_periods(today)[-2]
    if key not in known:
        return Panel(slug, title, series_option([], []), Table([category], []), empty=True)
    found = {period.key: engine.breakdown(key, period, viewer=viewer) for period in (last, this)}
    categories: list[str] = []
    for parts in found.values():
        for name, _cell in parts:
            if name not in categories:
                categories.append(name)
    lookup = {(p, n): c for p, parts in found.items() for n, c in parts}
    names = [year_label(last, today), year_label(this, today)]
    series = [
        (name, [plotted(lookup.get((p.key, c))) for c in categories])
        for name, p in zip(names, (last, this), strict=True)
    ]
    rows = [[c, *(shown(lookup.get((p.key, c))) for p in (last, this))] for c in categories]
    cells = [c for parts in found.values() for _n, c in parts]
    option = series_option(categories, series, kind="bar")
    return Panel(
        slug,
        title,
        option,
        Table([category, *names], rows),
        empty=not categories,
        computed_at=latest(cells),
    )


def victims_panel(viewer: User, today: date) -> Panel:
    return _breakdown_panel(
        "victims",
        _("Minor victims by offence group"),
        VICTIMS,
        viewer,
        today,
        _("Offence group"),
    )


def circumstance_panel(viewer: User, today: date) -> Panel:
    return _breakdown_panel(
        "circumstance",
        _("Drowning deaths by circumstance"),
        DEATHS,
        viewer,
        today,
        _("Circumstance"),
    )


def months_panel(viewer: User, today: date) -> Panel:
    """Drowning deaths by month, this year beside last year (one engine call)."""
    title = _("Drowning deaths by month")
    if DEATHS not in _labels():
        return Panel("months", title, series_option([], []), Table([], []), empty=True)
    spans = periods("month", today.year - 1, today.year)
    cells = engine.cells([DEATHS], spans, level="county", viewer=viewer)
    by_period = {c.period.key: c for c in cells}
    x = [str(month) for month in range(1, 13)]
    years = (today.year - 1, today.year)
    chosen = {y: [p for p in spans if p.start.year == y] for y in years}
    series = [(str(y), [plotted(by_period.get(p.key)) for p in chosen[y]]) for y in years]
    # This year's months to come have no figure yet: a gap, not a zero.
    for index in range(today.month, 12):
        series[1][1][index] = None
    rows = [
        [month, *(shown(by_period.get(chosen[y][month - 1].key)) for y in years)]
        for month in range(1, 13)
    ]
    return Panel(
        "months",
        title,
        series_option(x, series, kind="bar"),
        Table([pgettext("statistics", "Month"), *(str(y) for y in years)], rows),
        computed_at=latest(cells),
    )


@dataclass(frozen=True)
class MapPanel:
    """A township map of one definition for one year: the bars by township, and the points
    (township name, value) the map draws over the boundaries."""

    key: str
    year: int
    choices: list[tuple[str, str]]
    panel: Panel
    points: list[dict[str, Any]] = field(default_factory=list)


def township_keys() -> list[tuple[str, str]]:
    """The definitions that split by township, for the map's choice of indicator."""
    return [(d.key, str(d.label)) for d in definitions().values() if d.lowest_level == TOWNSHIP]


def map_panel(viewer: User, today: date, key: str = "", year: int | None = None) -> MapPanel:
    choices = township_keys()
    keys = [k for k, _label in choices]
    if key not in keys:
        key = DEATHS if DEATHS in keys else (keys[0] if keys else "")
    year = year or today.year
    title = _("By township")
    if not key:
        empty = Panel("map", title, series_option([], []), Table([], []), empty=True)
        return MapPanel(key, year, choices, empty)
    period = StatPeriod.year(year)
    cells = engine.cells([key], [period], level="township", viewer=viewer)
    names = dict(Division.objects.townships().values_list("code", "name"))
    township_cells = [c for c in cells if c.division_code in names]
    township_cells.sort(key=lambda c: c.division_code)
    x = [names[c.division_code] for c in township_cells]
    label = label_of(key)
    option = series_option(x, [(label, [plotted(c) for c in township_cells])], kind="bar")
    option["xAxis"]["axisLabel"] = {"rotate": 30, "interval": 0}
    rows = [[names[c.division_code], shown(c)] for c in township_cells]
    table = Table([_("Township"), label], rows)
    panel = Panel(
        "map",
        f"{label} · {year_label(period, today)}",
        option,
        table,
        empty=not township_cells,
        computed_at=latest(cells),
    )
    points = [
        {"name": names[c.division_code], "value": plotted(c), "shown": str(shown(c))}
        for c in township_cells
    ]
    return MapPanel(key, year, choices, panel, points)


@dataclass(frozen=True)
class DoubleDecrease:
    """One double-decrease tile: this year to date against the same span last year."""

    key: str
    label: str
    this: Any  # the engine's Cell
    last: Any
    comparison: Any  # the engine's Comparison
    target: TargetState
    count_label: str = ""
    this_count: Any = None
    last_count: Any = None


def double_decrease(viewer: User, today: date) -> list[DoubleDecrease]:
    known = _labels()
    this, last = year_to_date(today)
    tiles = []
    for key in (CRIME_RATE, DROWNING_RATE):
        if key not in known:
            continue
        comparison = engine.compare(key, this, last, viewer=viewer)
        tiles.append(
            DoubleDecrease(
                key=key,
                label=label_of(key, known),
                this=comparison.this,
                last=comparison.last,
                comparison=comparison,
                target=services.target_state(key, today.year),
                count_label=label_of(known[key].numerator, known),
                this_count=shown(comparison.this, "numerator"),
                last_count=shown(comparison.last, "numerator"),
            )
        )
    return tiles


PANELS: dict[str, Callable[[User, date], Panel]] = {
    "trend": trend_panel,
    "ages": ages_panel,
    "gang": gang_panel,
    "victims": victims_panel,
    "months": months_panel,
    "circumstance": circumstance_panel,
}


def tiles_table(tiles: Sequence[DoubleDecrease]) -> Table:
    rows = []
    for tile in tiles:
        change = tile.comparison.change_percent
        rows.append(
            [
                tile.label,
                shown(tile.this),
                shown(tile.last),
                tile.this_count,
                tile.last_count,
                "" if change is None else change,
                str(getattr(tile.target, "label", tile.target or "")),
            ]
        )
    headers = [
        _("Indicator"),
        _("This year to date"),
        _("Same span last year"),
        _("Count this year"),
        _("Count last year"),
        _("Change (%)"),
        _("Target"),
    ]
    return Table(headers, rows)


def _outer_ring(geometry: dict[str, Any]) -> list[list[float]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"][0])
    polygons = geometry.get("coordinates") or []
    rings: list[list[list[float]]] = [polygon[0] for polygon in polygons if polygon]
    return max(rings, key=lambda ring: len(ring)) if rings else []


def centres(collection: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Each township feature's centre (the mean of its outer ring's points; the largest
    polygon's for a MultiPolygon), by the feature's name: where the map puts its figure."""
    found = {}
    for feature in collection.get("features", []):
        ring = _outer_ring(feature.get("geometry") or {})[:-1]
        name = (feature.get("properties") or {}).get("name")
        if ring and name:
            lng = sum(p[0] for p in ring) / len(ring)
            lat = sum(p[1] for p in ring) / len(ring)
            found[str(name)] = (round(lng, 6), round(lat, 6))
    return found
