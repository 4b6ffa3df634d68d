"""The statistics engine: every definition's figures for the county and its townships, for any
period, read from the cache and computed where missing or stale; who sees which; the rows behind
a figure.

How a figure is computed:
- A declared `Measure` is counted for ALL townships and the county in one grouped query per
  batch of periods: additive measures by month (TruncMonth of the date, in the county's time)
  and township (the first 9 digits of the division's code), longer whole-month periods (years,
  halves, quarters, terms) summed from the months, the county as the sum of every group (rows
  placed in the county itself or in no township still count for it); other periods (the year
  to date) and non-additive measures (distinct counts) by one grouped query per period kind,
  the period found by a conditional Case/When, with the county in a grouped query of its own.
  A breakdown is the same query grouped by the breakdown field too.
- An indicator with a `compute` function is computed cell by cell (the county and each
  township, for each period asked); the nightly recompute does years and the year to date for
  them, months only for measures.
- A rate's denominator MINORS is the population entered for the division and year
  (`Population`), else the people register's count of minors living in the division on 1 July
  of that year; the cell says which (`denominator_source`).

Figures are cached (`FigureCache`) with the newest `Stale` mark of their sources: saving or
deleting a row of a Measure's model marks its indicators stale when the transaction commits
(tasks.py), and queues a debounced recompute; the nightly job `stats_recompute` recomputes
everything cached. Every cell carries `computed_at`.

Suppression (suppression.py) is applied for viewers who may not see small cells, on the whole
table of townships (and months, and categories), never on what one viewer happens to ask for,
so that every viewer sees the same pattern.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, Max, Q, Value, When
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from weibao.accounts.models import Division
from weibao.core import contract
from weibao.lib import smallnumbers
from weibao.stats import definitions as defs
from weibao.stats.models import FigureCache, Population, Stale
from weibao.stats.periods import Kind, StatPeriod
from weibao.stats.policy import sees_small_cells, township_prefix, views_statistics
from weibao.stats.suppression import Line, suppress

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from weibao.accounts.models import User

Figure = contract.Figure
NONE_CATEGORY = "-"  # rows with no category, in a breakdown
ALL = ""  # the category of a whole figure


@dataclass(frozen=True)
class Cell:
    key: str
    period: StatPeriod
    division_code: str  # the county's code for the county
    numerator: Figure | None
    denominator: Figure | None
    value: Figure | None
    computed_at: datetime | None
    suppressed: bool = False
    denominator_source: str = ""  # Population.Source for MINORS, else ""


@dataclass(frozen=True)
class Comparison:
    this: Cell
    last: Cell
    change_percent: Decimal | None  # None when the base is too small or a cell is suppressed
    base_too_small: bool
    within_chance: bool | None  # None when it cannot be told (suppressed, no counts)
    p_value: float | None


# Divisions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    county: Division
    townships: tuple[Division, ...]

    @property
    def codes(self) -> list[str]:
        return [self.county.code, *(t.code for t in self.townships)]

    def township_of(self, short: str | None) -> str | None:
        """The township code for a division code's first 9 digits (None outside any)."""
        if not short:
            return None
        return self._by_short.get(short[:9])

    @property
    def _by_short(self) -> dict[str, str]:
        return {t.code[:9]: t.code for t in self.townships}


def area() -> Area:
    """The county (the one county division) and its townships."""
    county = Division.objects.filter(level=Division.Level.COUNTY).order_by("code").first()
    if county is None:
        raise LookupError("no county division")
    townships = Division.objects.townships().within(county).order_by("code")
    return Area(county, tuple(townships))


# Raw figures --------------------------------------------------------------------------------
#
# A table maps (period key, division code, category) to a figure.

Table = dict[tuple[str, str, str], Figure]


def _path_field(model: Any, path: str) -> Any:
    *rels, last = path.split("__")
    for name in rels:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def category_labels(measure: contract.Measure) -> dict[str, str]:
    """The breakdown's categories: value -> label (and NONE_CATEGORY for rows with none)."""
    from django.utils.translation import gettext as _

    field = _path_field(measure.rows().model, measure.breakdown)
    labels = {str(value): str(label) for value, label in field.flatchoices}
    labels[NONE_CATEGORY] = _("not given")
    return labels


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _measure_table(
    measure: contract.Measure, periods: Sequence[StatPeriod], where: Area, *, by_category: bool
) -> Table:
    """A measure's figures for the county and every township, for `periods`."""
    if not periods:
        return {}
    on = f"{measure.on}__date" if measure.on_datetime else measure.on
    aggregate = measure.value if measure.value else (lambda: Count("pk"))
    township = Substr(f"{measure.where}__code", 1, 9)
    table: Table = defaultdict(int)
    cat_field = [measure.breakdown] if by_category else []

    def category(row: dict[str, Any]) -> str:
        if not by_category:
            return ALL
        value = row[measure.breakdown]
        return NONE_CATEGORY if value in (None, "") else str(value)

    def spanning(batch: Sequence[StatPeriod]) -> QuerySet[Any]:
        start = min(p.start for p in batch)
        end = max(p.end for p in batch)
        return measure.rows().filter(**{f"{on}__gte": start, f"{on}__lt": end})

    monthly = [p for p in periods if measure.additive and p.whole_months]
    others = [p for p in periods if p not in monthly]
    if monthly:
        months = sorted({m.start for p in monthly for m in p.months()})
        tz = timezone.get_current_timezone() if measure.on_datetime else None
        rows = (
            spanning([StatPeriod.month(m.year, m.month) for m in months])
            .annotate(_month=TruncMonth(measure.on, tzinfo=tz), _township=township)
            .values("_month", "_township", *cat_field)
            .annotate(_figure=aggregate())
            .order_by()
        )
        # The county by a group of its own: through a many-valued join a row placed in two
        # townships counts in each, but once in the county.
        county_rows = (
            spanning([StatPeriod.month(m.year, m.month) for m in months])
            .annotate(_month=TruncMonth(measure.on, tzinfo=tz))
            .values("_month", *cat_field)
            .annotate(_figure=aggregate())
            .order_by()
        )
        by_month: dict[tuple[date, str, str], Figure] = defaultdict(int)
        for row in rows:
            town = where.township_of(row["_township"])
            if town is not None:
                by_month[(_as_date(row["_month"]), town, category(row))] += row["_figure"] or 0
        for row in county_rows:
            by_month[(_as_date(row["_month"]), where.county.code, category(row))] += (
                row["_figure"] or 0
            )
        for p in monthly:
            starts = {m.start for m in p.months()}
            for (month, code, cat), figure in by_month.items():
                if month in starts:
                    table[(p.key, code, cat)] += figure
    by_kind: dict[str, list[StatPeriod]] = defaultdict(list)
    for p in others:
        by_kind[p.kind].append(p)
    for batch in by_kind.values():
        which = Case(
            *(
                When(Q(**{f"{on}__gte": p.start, f"{on}__lt": p.end}), then=Value(p.key))
                for p in batch
            ),
            default=Value(""),
            output_field=CharField(),
        )
        base = spanning(batch).annotate(_period=which)
        grouped = (
            base.annotate(_township=township)
            .values("_period", "_township", *cat_field)
            .annotate(_figure=aggregate())
            .order_by()
        )
        for row in grouped:
            town = where.township_of(row["_township"])
            if row["_period"] and town is not None:
                table[(row["_period"], town, category(row))] += row["_figure"] or 0
        # The county by a group of its own (a distinct count is not the sum of its townships').
        for row in base.values("_period", *cat_field).annotate(_figure=aggregate()).order_by():
            if row["_period"]:
                table[(row["_period"], where.county.code, category(row))] += row["_figure"] or 0
    # Every cell asked for has a figure, zero when nothing was counted.
    return dict(table)


def _computed_table(
    indicator: contract.Indicator, periods: Sequence[StatPeriod], where: Area
) -> Table:
    """An indicator with a compute function, cell by cell."""
    table: Table = {}
    for p in periods:
        table[(p.key, where.county.code, ALL)] = indicator.figure(division=None, period=p.as_period)
        for township in where.townships:
            table[(p.key, township.code, ALL)] = indicator.figure(
                division=township, period=p.as_period
            )
    return table


def indicator_table(
    key: str, periods: Sequence[StatPeriod], where: Area, *, by_category: bool = False
) -> Table:
    """An indicator's figures for the county and every township (0 where nothing counted)."""
    indicator = contract.indicators()[key]
    if indicator.measure is not None:
        table = _measure_table(indicator.measure, periods, where, by_category=by_category)
        cats = list(category_labels(indicator.measure)) if by_category else [ALL]
        for p in periods:
            for code in where.codes:
                for cat in cats:
                    table.setdefault((p.key, code, cat), 0)
        return table
    return _computed_table(indicator, periods, where)


def minors_table(
    years: Iterable[int], where: Area
) -> dict[tuple[int, str], tuple[int | None, str]]:
    """(year, division code) -> (minors, source) for the county and every township: the entered
    population, else the register's minors living there on 1 July."""
    from weibao.people.models import Person

    years = sorted(set(years))
    found: dict[tuple[int, str], tuple[int | None, str]] = {}
    register = Population.Source.REGISTER
    for year in years:
        rows = (
            Person.objects.minors(date(year, 7, 1))
            .filter(division__code__startswith=where.county.prefix)
            .annotate(_township=Substr("division__code", 1, 9))
            .values("_township")
            .annotate(n=Count("pk"))
            .order_by()
        )
        total = 0
        for row in rows:
            total += row["n"]
            town = where.township_of(row["_township"])
            if town is not None:
                found[(year, town)] = (row["n"], register)
        found[(year, where.county.code)] = (total, register)
        for code in where.codes:
            found.setdefault((year, code), (0, register))
    entered = Population.objects.filter(year__in=years, division__code__in=where.codes)
    for population in entered.values("year", "division__code", "minors", "source"):
        found[(population["year"], population["division__code"])] = (
            population["minors"],
            population["source"],
        )
    return {k: (n or None, source) for k, (n, source) in found.items()}


def _quantize(value: Decimal, factor: int) -> Decimal:
    step = Decimal("0.1") if factor == 100 else Decimal("0.01")
    return value.quantize(step, rounding=ROUND_HALF_UP)


def rate(numerator: Figure | None, denominator: Figure | None, factor: int) -> Decimal | None:
    """numerator × factor / denominator, rounded (0.1 for a per cent, else 0.01); None without
    a denominator."""
    if numerator is None or not denominator:
        return None
    return _quantize(Decimal(numerator) * factor / Decimal(denominator), factor)


# The cache ----------------------------------------------------------------------------------


def _watermarks(keys: Iterable[str]) -> dict[str, int]:
    rows = Stale.objects.filter(key__in=set(keys)).values("key").annotate(top=Max("pk"))
    return {row["key"]: row["top"] for row in rows.order_by()}


def _version(definition: defs.Definition, marks: dict[str, int]) -> int:
    return max((marks.get(k, 0) for k in definition.sources), default=0)


def compute(
    definition: defs.Definition,
    periods: Sequence[StatPeriod],
    *,
    where: Area | None = None,
    by_category: bool = False,
) -> list[FigureCache]:
    """Compute a definition's figures for the county and every township and store them."""
    where = where or area()
    version = _version(definition, _watermarks(definition.sources))
    numerators = indicator_table(definition.numerator, periods, where, by_category=by_category)
    minors: dict[tuple[int, str], tuple[int | None, str]] = {}
    denominators: Table = {}
    if definition.denominator == defs.MINORS:
        minors = minors_table({p.year_of for p in periods}, where)
    elif definition.denominator:
        denominators = indicator_table(definition.denominator, periods, where)
    now = timezone.now()
    by_key = {p.key: p for p in periods}
    rows = []
    for (pkey, code, cat), numerator in numerators.items():
        source = ""
        denominator: Figure | None = None
        if definition.denominator == defs.MINORS:
            denominator, source = minors.get((by_key[pkey].year_of, code), (None, ""))
        elif definition.denominator:
            denominator = denominators.get((pkey, code, ALL))
        value: Figure | None = (
            rate(numerator, denominator, definition.factor) if definition.is_rate else numerator
        )
        rows.append(
            FigureCache(
                key=definition.key,
                period=pkey,
                division=code,
                category=cat,
                numerator=Decimal(numerator),
                denominator=None if denominator is None else Decimal(denominator),
                value=None if value is None else Decimal(value),
                denominator_source=source,
                computed_at=now,
                sources_version=version,
            )
        )
    FigureCache.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["key", "period", "division", "category"],
        update_fields=[
            "numerator",
            "denominator",
            "value",
            "denominator_source",
            "computed_at",
            "sources_version",
        ],
    )
    return rows


def _figure(value: Decimal | None, *, whole: bool) -> Figure | None:
    if value is None:
        return None
    if whole and value == value.to_integral_value():
        return int(value)
    return value.normalize() if value == value.to_integral_value() else value


def _read(
    definition: defs.Definition,
    periods: Sequence[StatPeriod],
    *,
    by_category: bool = False,
    where: Area,
) -> dict[tuple[str, str, str], Cell]:
    """Cached cells of one definition (all divisions), computing the missing or stale periods."""
    by_key = {p.key: p for p in periods}
    version = _version(definition, _watermarks(definition.sources))
    query = FigureCache.objects.filter(key=definition.key, period__in=list(by_key))
    query = query.exclude(category=ALL) if by_category else query.filter(category=ALL)
    rows: dict[str, list[FigureCache]] = defaultdict(list)
    for row in query:
        rows[row.period].append(row)
    codes = set(where.codes)

    def current(pkey: str) -> bool:
        found = rows.get(pkey, [])
        if any(r.sources_version < version for r in found):
            return False
        return codes <= {r.division for r in found}

    missing = [p for p in periods if not current(p.key)]
    if missing:
        for p in missing:
            rows[p.key] = []
        for row in compute(definition, missing, where=where, by_category=by_category):
            rows[row.period].append(row)
    share = defs._is_share(definition.indicator) and not definition.is_rate
    cells = {}
    for pkey, found in rows.items():
        for row in found:
            cells[(pkey, row.division, row.category)] = Cell(
                key=definition.key,
                period=by_key[pkey],
                division_code=row.division,
                numerator=_figure(row.numerator, whole=not share),
                denominator=_figure(row.denominator, whole=True),
                value=_figure(row.value, whole=not share and not definition.is_rate),
                computed_at=row.computed_at,
                denominator_source=row.denominator_source,
            )
    return cells


# Suppression --------------------------------------------------------------------------------

CellKey = tuple[str, str, str]


def _hide(cell: Cell) -> Cell:
    return replace(cell, numerator=None, value=None, suppressed=True)


def _pattern(cells: dict[CellKey, Cell], where: Area) -> set[CellKey]:
    """The suppressed cells of a table of whole figures (category ALL).

    First the periods other than months: in each, the townships add up to the county, whose
    figure is published. Then the months, against a fixed pattern of their years: in each
    month the townships add up to the county's month, and each division's months add up to
    its year."""
    county = where.county.code
    towns = [t.code for t in where.townships]
    periods = {k[0]: c.period for k, c in cells.items()}
    values = {k: c.numerator for k, c in cells.items()}
    coarse = {k: v for k, v in values.items() if periods[k[0]].kind != Kind.MONTH}
    lines = [
        Line([(pkey, t, ALL) for t in towns], (pkey, county, ALL))
        for pkey, period in periods.items()
        if period.kind != Kind.MONTH
    ]
    hidden = suppress(coarse, lines, exempt={k for k in coarse if k[1] == county})
    months = [p for p in periods.values() if p.kind == Kind.MONTH]
    if not months:
        return hidden
    fine = {k: v for k, v in values.items() if periods[k[0]].kind == Kind.MONTH}
    lines = [Line([(m.key, t, ALL) for t in towns], (m.key, county, ALL)) for m in months]
    fixed: dict[CellKey, bool] = {}
    for year in {m.start.year for m in months}:
        year_key = StatPeriod.year(year).key
        month_keys = [StatPeriod.month(year, n).key for n in range(1, 13)]
        for code in [county, *towns]:
            total = (year_key, code, ALL)
            fine[total] = values.get(total)
            fixed[total] = total in hidden
            lines.append(Line([(m, code, ALL) for m in month_keys], total))
    return hidden | (suppress(fine, lines, fixed=fixed) - set(fixed))


def _category_pattern(
    cells: dict[CellKey, Cell],
    whole: dict[CellKey, Cell],
    whole_hidden: set[CellKey],
    where: Area,
) -> set[CellKey]:
    """The suppressed cells of a breakdown, against the fixed pattern of the whole figures:
    each category's townships add up to the county's category, each division's categories to
    its whole figure."""
    county = where.county.code
    towns = [t.code for t in where.townships]
    values: dict[CellKey, Figure | None] = {k: c.numerator for k, c in cells.items()}
    cats = sorted({k[2] for k in cells})
    pkeys = sorted({k[0] for k in cells})
    fixed: dict[CellKey, bool] = {}
    lines = []
    for pkey in pkeys:
        for cat in cats:
            lines.append(Line([(pkey, t, cat) for t in towns], (pkey, county, cat)))
        for code in [county, *towns]:
            total = (pkey, code, ALL)
            if total in whole:
                values[total] = whole[total].numerator
                fixed[total] = total in whole_hidden
            lines.append(Line([(pkey, code, c) for c in cats], total))
    return suppress(values, lines, fixed=fixed) - set(fixed)


# The public API -----------------------------------------------------------------------------


def _require_viewer(viewer: User) -> None:
    if not views_statistics(viewer):
        raise PermissionDenied


def _visible(viewer: User, code: str, where: Area) -> bool:
    if code == where.county.code:
        return True
    prefix = township_prefix(viewer)
    return prefix is None or code.startswith(prefix)


def _expanded(periods: Sequence[StatPeriod]) -> list[StatPeriod]:
    """The periods to compute so that months can be suppressed against their year: every month
    of a year any asked month lies in."""
    found = list(dict.fromkeys(periods))
    years = {p.start.year for p in periods if p.kind == Kind.MONTH}
    for year in sorted(years):
        for extra in [StatPeriod.year(year), *StatPeriod.year(year).months()]:
            if extra not in found:
                found.append(extra)
    return found


def _table(
    definition: defs.Definition, periods: Sequence[StatPeriod], viewer: User, where: Area
) -> dict[tuple[str, str, str], Cell]:
    cells = _read(definition, _expanded(periods), where=where)
    if definition.small_cells and not sees_small_cells(viewer):
        hidden = _pattern(cells, where)
        cells = {k: (_hide(c) if k in hidden else c) for k, c in cells.items()}
    return cells


def cells(
    keys: Iterable[str], periods: Sequence[StatPeriod], *, level: str = "county", viewer: User
) -> list[Cell]:
    """The cells of `keys` × `periods` at `level` ("county": one per period; "township": one
    per township the viewer may see), in key, period, division order. Keys whose indicators
    are not installed give no cells; a definition whose lowest level is the county gives no
    township cells. Empty for a viewer who sees no statistics."""
    if not views_statistics(viewer):
        return []
    installed = defs.definitions()
    where = area()
    found: list[Cell] = []
    for key in keys:
        definition = installed.get(key)
        if definition is None:
            continue
        if level == defs.TOWNSHIP and definition.lowest_level == defs.COUNTY:
            continue
        table = _table(definition, periods, viewer, where)
        for period in periods:
            if level == defs.TOWNSHIP:
                codes = [t.code for t in where.townships if _visible(viewer, t.code, where)]
            else:
                codes = [where.county.code]
            found.extend(table[(period.key, code, ALL)] for code in codes)
    return found


def _code(division: Division | None, where: Area) -> str:
    if division is None:
        return where.county.code
    if division.code in where.codes:
        return division.code
    raise ValueError("statistics are given for the county and its townships only")


def cell(key: str, period: StatPeriod, *, division: Division | None = None, viewer: User) -> Cell:
    """One cell: the county's (division None) or a township's. PermissionDenied for a viewer
    who may not see it; KeyError for a definition not installed."""
    _require_viewer(viewer)
    definition = defs.get(key)
    where = area()
    code = _code(division, where)
    if not _visible(viewer, code, where):
        raise PermissionDenied
    return _table(definition, [period], viewer, where)[(period.key, code, ALL)]


def breakdown(
    key: str, period: StatPeriod, *, division: Division | None = None, viewer: User
) -> list[tuple[str, Cell]]:
    """The figure split by its numerator's breakdown field: (category label, cell) for every
    category, in the field's order ("not given" last when there are such rows). Empty when the
    numerator has no breakdown."""
    _require_viewer(viewer)
    definition = defs.get(key)
    measure = definition.measure
    if measure is None or not measure.breakdown:
        return []
    where = area()
    code = _code(division, where)
    if not _visible(viewer, code, where):
        raise PermissionDenied
    table = _read(definition, [period], where=where, by_category=True)
    labels = category_labels(measure)
    if definition.small_cells and not sees_small_cells(viewer):
        whole = _read(definition, [period], where=where)
        hidden = _category_pattern(table, whole, _pattern(whole, where), where)
        table = {k: (_hide(c) if k in hidden else c) for k, c in table.items()}
    found = []
    for cat, label in labels.items():
        found_cell = table.get((period.key, code, cat))
        if found_cell is not None and (cat != NONE_CATEGORY or found_cell.numerator != 0):
            found.append((label, found_cell))
    return found


def compare(
    key: str,
    this: StatPeriod,
    last: StatPeriod,
    *,
    division: Division | None = None,
    viewer: User,
) -> Comparison:
    """This period against last: the change in per cent (None on a base below the threshold),
    and whether the change lies within chance (the exact test on the two counts, with the
    denominators as exposures for a rate)."""
    now_cell = cell(key, this, division=division, viewer=viewer)
    then_cell = cell(key, last, division=division, viewer=viewer)
    if now_cell.suppressed or then_cell.suppressed:
        return Comparison(now_cell, then_cell, None, True, None, None)
    base_count = then_cell.numerator or 0
    too_small = smallnumbers.base_too_small(base_count)
    change = None
    if not too_small and then_cell.value is not None and now_cell.value is not None:
        change = smallnumbers.percent_change(then_cell.value, now_cell.value, threshold=0)
    p_value = within = None
    c1, c2 = then_cell.numerator, now_cell.numerator
    if isinstance(c1, int) and isinstance(c2, int):
        e1: float = 1.0
        e2: float = 1.0
        if defs.get(key).is_rate:
            if not then_cell.denominator or not now_cell.denominator:
                return Comparison(now_cell, then_cell, change, too_small, None, None)
            e1, e2 = float(then_cell.denominator), float(now_cell.denominator)
        p_value = smallnumbers.poisson_rates_test(c1, e1, c2, e2)
        within = p_value >= 0.05
    return Comparison(now_cell, then_cell, change, too_small, within, p_value)


def trace(
    key: str, period: StatPeriod, *, division: Division | None = None, viewer: User
) -> QuerySet[Any] | None:
    """The rows a figure counts, limited to those the viewer may see (through the model's
    `for_user`); None when the viewer may trace no figure or the figure is not a Measure."""
    from weibao.stats.policy import is_stats_lead

    if not is_stats_lead(viewer):
        return None
    definition = defs.definitions().get(key)
    if definition is None or definition.measure is None:
        return None
    rows = definition.measure.filtered(division=division, period=period.as_period)
    model = rows.model
    for_user = getattr(model.objects, "for_user", None)
    if for_user is not None:
        rows = rows.filter(pk__in=for_user(viewer).values("pk"))
    return rows


def _default_periods(definition: defs.Definition, years: Iterable[int]) -> list[StatPeriod]:
    today = timezone.localdate()
    found: list[StatPeriod] = []
    for year in sorted(set(years)):
        found.append(StatPeriod.year(year))
        if definition.measure is not None:
            found += [StatPeriod.half(year, h) for h in (1, 2)]
            found += [StatPeriod.quarter(year, q) for q in (1, 2, 3, 4)]
            found += [StatPeriod.month(year, m) for m in range(1, 13)]
            found += [StatPeriod.term(year, t) for t in (1, 2)]
    from weibao.stats.periods import year_to_date

    found += list(year_to_date(today))
    return list(dict.fromkeys(found))


def recompute(keys: Iterable[str] | None = None, *, years: Iterable[int] | None = None) -> dict:
    """Recompute the figures of `keys` (all definitions by default) for `years` (by default the
    years already cached, this year and last), periods as the module doc says; also the
    periods already cached for them. Returns a summary."""
    from weibao.stats.periods import parse

    installed = defs.definitions()
    chosen = [installed[k] for k in (keys if keys is not None else installed) if k in installed]
    this_year = timezone.localdate().year
    where = area()
    done = 0
    for definition in chosen:
        cached = set(
            FigureCache.objects.filter(key=definition.key, category=ALL)
            .values_list("period", flat=True)
            .distinct()
        )
        cached_periods = []
        for pkey in cached:
            try:
                cached_periods.append(parse(pkey))
            except ValueError:
                continue
        wanted = set(years) if years is not None else {this_year, this_year - 1}
        if years is None:
            wanted |= {p.start.year for p in cached_periods if p.kind == Kind.YEAR}
        periods = list(dict.fromkeys([*_default_periods(definition, wanted), *cached_periods]))
        done += len(compute(definition, periods, where=where))
        if (
            definition.measure is not None
            and definition.measure.breakdown
            and FigureCache.objects.filter(key=definition.key).exclude(category=ALL).exists()
        ):
            categorised = set(
                FigureCache.objects.filter(key=definition.key)
                .exclude(category=ALL)
                .values_list("period", flat=True)
            )
            compute(
                definition,
                [parse(p) for p in sorted(categorised)],
                where=where,
                by_category=True,
            )
    return {"definitions": len(chosen), "cells": done}
