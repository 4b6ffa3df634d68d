"""The statistics engine: every definition's figures for the county and its townships, for any
period, read from the cache and computed where missing or stale; who sees which; the rows behind
a figure; each school's figure where the records name their school.

How a figure is computed, from the apps' declarations (weibao.core.contract):
- A `Measure` (rows dated in the period) is counted for ALL townships and the county in one
  grouped query per batch of periods: additive measures by month (TruncMonth of the date, in the
  county's time) and township (the first 9 digits of the division's code), longer whole-month
  periods (years, halves, quarters, terms) summed from the months, the county as the sum of
  every group (rows placed in the county itself or in no township count for it); other periods
  (the year to date) and non-additive measures (distinct counts) by one grouped query per
  period kind, the period found by a conditional Case/When, with the county in a grouped query
  of its own. A breakdown is the same query grouped by the breakdown field too.
- A `Stock` (rows meeting a condition on the period: what stands on its last day) is counted in
  one query grouped by township with one conditional aggregate per period, the county as the
  sum of the groups (or by a query of its own for a distinct count or a many-valued placement).
- A `Share` is its part and its whole, each counted so; the cell keeps both counts (numerator
  and denominator) beside the per cent.
- An indicator with a `compute` function (none is left among the apps; the contract still
  allows one) is computed cell by cell (the county and each township, for each period asked).
- A rate's denominator MINORS is the population entered for the division and year
  (`Population`), else the people register's count of minors living in the division on 1 July
  of that year; the cell says which (`denominator_source`).
In one recompute each declaration is counted once for all the definitions made of it.

Figures are cached (`FigureCache`) one row per definition, period and category, holding every
division, with the newest `Stale` mark of their sources: saving or deleting a row a declaration
reads marks its indicators stale when the transaction commits (tasks.py), and queues a
debounced recompute; the nightly job `stats_recompute` recomputes everything cached. Every cell
carries `computed_at`. Within `batch()` (a page: the views are `batched`) the divisions, the
marks and each table are read once.

Suppression (suppression.py) is applied for viewers who may not see small cells, on the whole
table of townships (and every period of the years asked, and categories), never on what one
viewer happens to ask for, so that every viewer sees the same pattern. The school level is
counted from the records when asked, and given for counts of children to the lead agencies only.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, Count, F, Max, Q, Value, When
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from weibao.accounts.models import Division
from weibao.core import contract
from weibao.kit.bulk import insert_rows
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
P = ParamSpec("P")
T = TypeVar("T")
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
    school_id: int | None = None  # a school's cell (division_code: the school's division)


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

    @functools.cached_property
    def _by_short(self) -> dict[str, str]:
        return {t.code[:9]: t.code for t in self.townships}


# One page's reads --------------------------------------------------------------------------

_batch: ContextVar[dict[Any, Any] | None] = ContextVar("stats_batch", default=None)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Within the block (one page), the county's divisions, the stale marks and each cached
    table are read once, however many figures the page shows."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def batched(function: Callable[P, T]) -> Callable[P, T]:
    """`function` (a page's view) run as one batch."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with batch():
            return function(*args, **kwargs)

    return run


def area() -> Area:
    """The county (the one county division) and its townships."""
    memo = _batch.get()
    if memo is not None and "area" in memo:
        return memo["area"]
    county = Division.objects.filter(level=Division.Level.COUNTY).order_by("code").first()
    if county is None:
        raise LookupError("no county division")
    townships = Division.objects.townships().within(county).order_by("code")
    found = Area(county, tuple(townships))
    if memo is not None:
        memo["area"] = found
    return found


# Raw figures --------------------------------------------------------------------------------
#
# A table maps (period key, division code, category) to a figure.

Table = dict[tuple[str, str, str], Figure]


def _path_field(model: Any, path: str) -> Any:
    *rels, last = path.split("__")
    for name in rels:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def category_labels(measure: contract.Counted) -> dict[str, str]:
    """The breakdown's categories: value -> label (and NONE_CATEGORY for rows with none)."""
    from django.utils.translation import gettext as _

    field = _path_field(measure.rows().model, measure.breakdown)
    labels = {str(value): str(label) for value, label in field.flatchoices}
    labels[NONE_CATEGORY] = _("not given")
    return labels


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _township(counted: contract.Counted) -> Substr:
    """A row's township: the first 9 digits of its division's code."""
    return Substr(contract.placement(counted.where), 1, 9)


def _categories(counted: contract.Counted, by_category: bool) -> list[str]:
    return [counted.breakdown] if by_category and counted.breakdown else []


def _category(counted: contract.Counted, row: dict[str, Any], by_category: bool) -> str:
    if not by_category or not counted.breakdown:
        return ALL
    value = row[counted.breakdown]
    return NONE_CATEGORY if value in (None, "") else str(value)


def _spanning(measure: contract.Measure, batch: Sequence[StatPeriod]) -> QuerySet[Any]:
    span = contract.Period(min(p.start for p in batch), max(p.end for p in batch))
    return measure.rows().filter(measure.when(span))


def _add(into: dict[Any, Figure], key: Any, figure: Any) -> None:
    into[key] = into.get(key, 0) + contract.as_figure(figure)


def _partial_months(periods: Sequence[StatPeriod]) -> dict[str, tuple[list[StatPeriod], Any]]:
    """For each period made of whole months and one month's first days (the year to date): its
    whole months and the (start, end) of those days."""
    found = {}
    for p in periods:
        if p.whole_months or p.end.day == 1:
            continue
        head = date(p.end.year, p.end.month, 1)
        if head < p.start or p.start.day != 1:
            continue
        whole = StatPeriod(p.kind, p.start, head) if head > p.start else None
        found[p.key] = (whole.months() if whole else [], (head, p.end))
    return found


def _measure_table(
    measure: contract.Measure, periods: Sequence[StatPeriod], where: Area, *, by_category: bool
) -> Table:
    """A measure's figures for the county and every township, for `periods`."""
    if not periods:
        return {}
    if not measure.additive and _distinct_field(measure) is not None:
        return _distinct_table(measure, periods, where, by_category=by_category)
    township = _township(measure)
    table: Table = defaultdict(int)
    cat_field = _categories(measure, by_category)
    monthly = [p for p in periods if measure.additive and p.whole_months]
    partial = _partial_months(periods) if measure.additive else {}
    summed = {p.key for p in monthly} | set(partial)
    others = [p for p in periods if p.key not in summed]
    months = sorted({m.start for p in monthly for m in p.months()})
    months = sorted({*months, *(m.start for ms, _days in partial.values() for m in ms)})
    if months:
        tz = timezone.get_current_timezone() if measure.on_datetime else None
        base = _spanning(measure, [StatPeriod.month(m.year, m.month) for m in months]).annotate(
            _month=TruncMonth(measure.on, tzinfo=tz)
        )
        rows = (
            base.annotate(_township=township)
            .values("_month", "_township", *cat_field)
            .annotate(_figure=measure.aggregate())
            .order_by()
        )
        # The county is the sum of every group, those outside any township too (an additive
        # measure is placed through no many-valued join: a row lies in one group).
        by_month: dict[tuple[date, str, str], Figure] = {}
        for row in rows:
            month, cat = _as_date(row["_month"]), _category(measure, row, by_category)
            town = where.township_of(row["_township"])
            if town is not None:
                _add(by_month, (month, town, cat), row["_figure"])
            _add(by_month, (month, where.county.code, cat), row["_figure"])
        periods_of: dict[date, list[str]] = defaultdict(list)
        for p in monthly:
            for m in p.months():
                periods_of[m.start].append(p.key)
        for pkey, (whole, _days) in partial.items():
            for m in whole:
                periods_of[m.start].append(pkey)
        for (month, code, cat), figure in by_month.items():
            for pkey in periods_of.get(month, ()):
                table[(pkey, code, cat)] += figure
    if partial:  # the first days of the last month: one small query for every such span
        spans = {p: contract.Period(*days) for p, (_whole, days) in partial.items()}
        which = Case(
            *(When(measure.when(span), then=Value(p)) for p, span in spans.items()),
            default=Value(""),
            output_field=CharField(),
        )
        window = measure.rows().filter(
            _any(measure.when(span) for span in dict.fromkeys(spans.values()))
        )
        grouped = (
            window.annotate(_period=which, _township=township)
            .values("_period", "_township", *cat_field)
            .annotate(_figure=measure.aggregate())
            .order_by()
        )
        for row in grouped:
            if not row["_period"]:
                continue
            cat = _category(measure, row, by_category)
            town = where.township_of(row["_township"])
            if town is not None:
                _add(table, (row["_period"], town, cat), row["_figure"])
            _add(table, (row["_period"], where.county.code, cat), row["_figure"])
    by_kind: dict[str, list[StatPeriod]] = defaultdict(list)
    for p in others:
        by_kind[p.kind].append(p)
    for batch in by_kind.values():
        which = Case(
            *(When(measure.when(p.as_period), then=Value(p.key)) for p in batch),
            default=Value(""),
            output_field=CharField(),
        )
        base = _spanning(measure, batch).annotate(_period=which)
        grouped = (
            base.annotate(_township=township)
            .values("_period", "_township", *cat_field)
            .annotate(_figure=measure.aggregate())
            .order_by()
        )
        for row in grouped:
            town = where.township_of(row["_township"])
            if row["_period"] and town is not None:
                cat = _category(measure, row, by_category)
                _add(table, (row["_period"], town, cat), row["_figure"])
        # The county by a group of its own (a distinct count is not the sum of its townships').
        county = base.values("_period", *cat_field).annotate(_figure=measure.aggregate())
        for row in county.order_by():
            if row["_period"]:
                cat = _category(measure, row, by_category)
                _add(table, (row["_period"], where.county.code, cat), row["_figure"])
    return dict(table)


def _any(conditions: Iterable[Q]) -> Q:
    found = Q()
    for condition in conditions:
        found |= condition
    return found


def _distinct_field(measure: contract.Measure) -> Any:
    """The expression a distinct count counts (Count("person", distinct=True)), else None."""
    aggregate = measure.aggregate()
    if not isinstance(aggregate, Count) or not getattr(aggregate, "distinct", False):
        return None
    return None if aggregate.filter is not None else aggregate.get_source_expressions()[0]


def _distinct_table(
    measure: contract.Measure, periods: Sequence[StatPeriod], where: Area, *, by_category: bool
) -> Table:
    """A distinct count for every period from one query: the distinct (township, day, counted
    value) of the rows over all the periods, each value then counted once per period and
    division (a child in two months is one child in their year; in two townships, one in the
    county)."""
    from django.db.models.functions import TruncDate

    cat_field = _categories(measure, by_category)
    day = (
        TruncDate(measure.on, tzinfo=timezone.get_current_timezone())
        if (measure.on_datetime)
        else F(measure.on)
    )
    rows = (
        _spanning(measure, periods)
        .annotate(_day=day, _township=_township(measure), _value=_distinct_field(measure))
        .values_list("_day", "_township", "_value", *cat_field)
        .distinct()
        .order_by()
    )
    spans = sorted((p.start, p.end, p.key) for p in periods)
    starts = [start for start, _end, _key in spans]
    longest = max((end - start for start, end, _key in spans), default=timedelta(0))
    covering: dict[date, list[str]] = {}

    def periods_of(on: date) -> list[str]:
        """The periods a day lies in (those starting at most the longest period before it)."""
        if on not in covering:
            first = bisect.bisect_left(starts, on - longest)
            last = bisect.bisect_right(starts, on)
            covering[on] = [key for start, end, key in spans[first:last] if start <= on < end]
        return covering[on]

    seen: dict[tuple[str, str, str], set[Any]] = defaultdict(set)
    county = where.county.code
    for on, short, value, *cat_value in rows:
        if value is None:
            continue
        cat = ALL
        if by_category:
            raw = cat_value[0]
            cat = NONE_CATEGORY if raw in (None, "") else str(raw)
        town = where.township_of(short)
        for pkey in periods_of(_as_date(on)):
            seen[(pkey, county, cat)].add(value)
            if town is not None:
                seen[(pkey, town, cat)].add(value)
    return {key: len(values) for key, values in seen.items()}


def _single_valued(model: Any, path: str) -> bool:
    """Whether the path crosses no reverse foreign key and no many-to-many relation."""
    for name in path.split("__") if path else []:
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return False
        model = field.related_model
    return True


def _summable(stock: contract.Stock) -> bool:
    """Whether the county's figure is the sum of every township group's: each row lies in one
    group, and the aggregate is no distinct count (a child in two groups is one child)."""
    paths = (stock.where,) if isinstance(stock.where, str) else stock.where
    model = stock.rows().model
    return not getattr(stock.aggregate(), "distinct", False) and all(
        _single_valued(model, path) for path in paths
    )


def _stock_table(
    stock: contract.Stock, periods: Sequence[StatPeriod], where: Area, *, by_category: bool
) -> Table:
    """A stock's figures for the county and every township, for `periods`: one query grouped
    by township with one conditional aggregate per period, and one for the county."""
    if not periods:
        return {}
    names = {f"_p{i}": p for i, p in enumerate(periods)}

    def aggregates() -> dict[str, Any]:
        found = {}
        for name, p in names.items():
            aggregate = stock.aggregate()
            aggregate.filter = stock.when(p.as_period)
            found[name] = aggregate
        return found

    cat_field = _categories(stock, by_category)
    table: Table = {}
    grouped = (
        stock.rows()
        .annotate(_township=_township(stock))
        .values("_township", *cat_field)
        .annotate(**aggregates())
        .order_by()
    )
    for row in grouped:
        town = where.township_of(row["_township"])
        if town is None:
            continue
        cat = _category(stock, row, by_category)
        for name, p in names.items():
            key = (p.key, town, cat)
            table[key] = table.get(key, 0) + contract.as_figure(row[name])
    if _summable(stock):
        county: list[dict[str, Any]] = list(grouped)  # every group, outside townships too
    elif cat_field:
        county = list(stock.rows().values(*cat_field).annotate(**aggregates()).order_by())
    else:
        county = [stock.rows().aggregate(**aggregates())]
    for row in county:
        cat = _category(stock, row, by_category)
        for name, p in names.items():
            key = (p.key, where.county.code, cat)
            table[key] = table.get(key, 0) + contract.as_figure(row[name])
    return table


def _counted_table(
    counted: contract.Counted, periods: Sequence[StatPeriod], where: Area, *, by_category: bool
) -> Table:
    """A Measure's or a Stock's figures, 0 in every cell asked for where nothing counted."""
    if isinstance(counted, contract.Stock):
        table = _stock_table(counted, periods, where, by_category=by_category)
    else:
        table = _measure_table(counted, periods, where, by_category=by_category)
    cats = list(category_labels(counted)) if by_category and counted.breakdown else [ALL]
    for p in periods:
        for code in where.codes:
            for cat in cats:
                table.setdefault((p.key, code, cat), 0)
    return table


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


Tables = dict[tuple[Any, ...], Any]  # the tables already counted in one recompute (by
# declaration, periods and breakdown; the minors by years): each counted once for all definitions


def _counted(
    counted: contract.Counted,
    periods: Sequence[StatPeriod],
    where: Area,
    by_category: bool,
    memo: Tables | None,
) -> Table:
    if memo is None:
        return _counted_table(counted, periods, where, by_category=by_category)
    key = (counted, tuple(p.key for p in periods), by_category)
    if key not in memo:
        memo[key] = _counted_table(counted, periods, where, by_category=by_category)
    return memo[key]


def share_tables(
    share: contract.Share, periods: Sequence[StatPeriod], where: Area, memo: Tables | None = None
) -> tuple[Table, Table]:
    """A share's parts and wholes, each for the county and every township."""
    part = _counted(share.part, periods, where, False, memo)
    return part, _counted(share.whole, periods, where, False, memo)


def indicator_table(
    key: str,
    periods: Sequence[StatPeriod],
    where: Area,
    *,
    by_category: bool = False,
    memo: Tables | None = None,
) -> Table:
    """An indicator's figures for the county and every township (0 where nothing counted)."""
    indicator = contract.indicators()[key]
    if indicator.measure is not None:
        return _counted(indicator.measure, periods, where, by_category, memo)
    if indicator.share is not None:
        part, whole = share_tables(indicator.share, periods, where, memo)
        return {k: contract.percent(int(n), int(whole[k])) for k, n in part.items()}
    return _computed_table(indicator, periods, where)


def minors_table(
    years: Iterable[int], where: Area, *, entered: bool = True
) -> dict[tuple[int, str], tuple[int | None, str]]:
    """(year, division code) -> (minors, source) for the county and every township: the entered
    population (unless `entered` is False), else the register's minors living there on
    1 July."""
    from weibao.people.models import Person, adult_birth_cutoff

    years = sorted(set(years))
    found: dict[tuple[int, str], tuple[int | None, str]] = {}
    register = Population.Source.REGISTER
    born = {  # under 18 and already born on 1 July: one conditional count per year
        f"_y{year}": Count(
            "pk",
            filter=Q(
                birth_date__gte=adult_birth_cutoff(date(year, 7, 1)),
                birth_date__lte=date(year, 7, 1),
            ),
        )
        for year in years
    }
    rows: Iterable[Any] = (
        Person.objects.filter(division__code__startswith=where.county.prefix)
        .annotate(_township=Substr("division__code", 1, 9))
        .values("_township")
        .annotate(**born)
        .order_by()
    )
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        town = where.township_of(row["_township"])
        for year in years:
            totals[year] += row[f"_y{year}"]
            if town is not None:
                found[(year, town)] = (row[f"_y{year}"], register)
    for year in years:
        found[(year, where.county.code)] = (totals[year], register)
        for code in where.codes:
            found.setdefault((year, code), (0, register))
    populations = Population.objects.filter(year__in=years, division__code__in=where.codes)
    for population in (
        populations.values("year", "division__code", "minors", "source") if (entered) else []
    ):
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
    memo = _batch.get()
    if memo is None:
        rows = Stale.objects.filter(key__in=set(keys)).values("key").annotate(top=Max("pk"))
        return {row["key"]: row["top"] for row in rows.order_by()}
    if "marks" not in memo:  # every source's newest mark, once (the nightly job keeps one each)
        rows = Stale.objects.values("key").annotate(top=Max("pk")).order_by()
        memo["marks"] = {row["key"]: row["top"] for row in rows}
    return {k: memo["marks"][k] for k in keys if k in memo["marks"]}


def _version(definition: defs.Definition, marks: dict[str, int]) -> int:
    return max((marks.get(k, 0) for k in definition.sources), default=0)


def _decimal(value: Figure | None) -> str | None:
    return None if value is None else str(value)


def compute(
    definition: defs.Definition,
    periods: Sequence[StatPeriod],
    *,
    where: Area | None = None,
    by_category: bool = False,
    memo: Tables | None = None,
    store: bool = True,
) -> list[FigureCache]:
    """Compute a definition's figures for the county and every township and store them (unless
    `store` is False: the caller stores them): one cache row per period (and category),
    holding every division."""
    where = where or area()
    memo = {} if memo is None else memo
    version = _version(definition, _watermarks(definition.sources))
    share = definition.indicator.share if not definition.is_rate else None
    denominators: Table = {}
    if share is not None:  # the part and the whole, and the share as the value
        numerators, denominators = share_tables(share, periods, where, memo)
    else:
        numerators = indicator_table(
            definition.numerator, periods, where, by_category=by_category, memo=memo
        )
    minors: dict[tuple[int, str], tuple[int | None, str]] = {}
    if definition.denominator == defs.MINORS:
        years = tuple(sorted({p.year_of for p in periods}))
        entered = definition.minors_from == defs.ENTERED_FIRST
        if ("minors", years, entered) not in memo:
            memo[("minors", years, entered)] = minors_table(years, where, entered=entered)
        minors = memo[("minors", years, entered)]
    elif definition.denominator:
        denominators = indicator_table(definition.denominator, periods, where, memo=memo)
    now = timezone.now()
    by_key = {p.key: p for p in periods}
    figures: dict[tuple[str, str], dict[str, list[str | None]]] = defaultdict(dict)
    for (pkey, code, cat), numerator in numerators.items():
        source = ""
        denominator: Figure | None = None
        value: Figure | None = numerator
        if definition.denominator == defs.MINORS:
            denominator, source = minors.get((by_key[pkey].year_of, code), (None, ""))
            value = rate(numerator, denominator, definition.factor)
        elif definition.denominator:
            denominator = denominators.get((pkey, code, ALL))
            value = rate(numerator, denominator, definition.factor)
        elif share is not None:
            denominator = denominators.get((pkey, code, ALL), 0)
            value = contract.percent(int(numerator), int(denominator))
        figures[(pkey, cat)][code] = [
            _decimal(numerator),
            _decimal(denominator),
            _decimal(value),
            source,
        ]
    rows = [
        FigureCache(
            key=definition.key,
            period=pkey,
            category=cat,
            figures=table,
            computed_at=now,
            sources_version=version,
        )
        for (pkey, cat), table in figures.items()
    ]
    if store:
        _store(rows)
    return rows


STORE_BATCH = 150  # rows per statement: 900 parameters, within every database's limit


def _store(rows: Sequence[FigureCache]) -> None:
    """Insert the rows, or update those of the same definition, period and category, many rows
    to a statement (the ORM's bulk upsert spends longer quoting the tables for PostgreSQL's
    arrays than the database spends writing them)."""
    q = connection.ops.quote_name
    mark = (
        "(%s, %s, %s, %s::jsonb, %s, %s)"
        if connection.vendor == "postgresql"
        else ("(%s, %s, %s, %s, %s, %s)")
    )
    names = ["key", "period", "category", "figures", "computed_at", "sources_version"]
    head = f"INSERT INTO {q(FigureCache._meta.db_table)} ({', '.join(q(n) for n in names)}) "
    tail = f" ON CONFLICT ({q('key')}, {q('period')}, {q('category')}) DO UPDATE SET " + (
        ", ".join(f"{q(n)} = excluded.{q(n)}" for n in names[3:])
    )
    with transaction.atomic(), connection.cursor() as cursor:  # one commit
        for start in range(0, len(rows), STORE_BATCH):
            batch = rows[start : start + STORE_BATCH]
            values: list[Any] = []
            for row in batch:
                values += [
                    row.key,
                    row.period,
                    row.category,
                    json.dumps(row.figures, separators=(",", ":")),
                    connection.ops.adapt_datetimefield_value(row.computed_at),
                    row.sources_version,
                ]
            # Identifiers from the model's own metadata, quoted; the values go as data.
            sql = head + "VALUES " + ", ".join([mark] * len(batch)) + tail
            cursor.execute(sql, values)


def _figure(value: str | None, *, whole: bool) -> Figure | None:
    if value is None:
        return None
    number = Decimal(value)
    if whole and number == number.to_integral_value():
        return int(number)
    return number


def _read(
    definition: defs.Definition,
    periods: Sequence[StatPeriod],
    *,
    by_category: bool = False,
    where: Area,
    codes: Sequence[str] | None = None,
) -> dict[tuple[str, str, str], Cell]:
    """Cached cells of one definition (of `codes`, every division by default), computing the
    missing or stale periods."""
    memo = _batch.get()
    wanted = None if codes is None else tuple(codes)
    asked = ("read", definition.key, tuple(p.key for p in periods), by_category, wanted)
    if memo is not None and asked in memo:
        return memo[asked]
    by_key = {p.key: p for p in periods}
    version = _version(definition, _watermarks(definition.sources))
    query = FigureCache.objects.filter(key=definition.key, period__in=list(by_key))
    query = query.exclude(category=ALL) if by_category else query.filter(category=ALL)
    rows: dict[str, list[FigureCache]] = defaultdict(list)
    for row in query:
        rows[row.period].append(row)
    every = set(where.codes)

    def current(pkey: str) -> bool:
        found = rows.get(pkey, [])
        return bool(found) and all(
            r.sources_version >= version and every <= set(r.figures) for r in found
        )

    missing = [p for p in periods if not current(p.key)]
    if missing:
        for p in missing:
            rows[p.key] = []
        for row in compute(definition, missing, where=where, by_category=by_category):
            rows[row.period].append(row)
    share = defs._is_share(definition.indicator) and not definition.is_rate
    compute_share = share and definition.indicator.share is None  # the share as its numerator
    cells = {}
    for pkey, found in rows.items():
        for row in found:
            for code, (numerator, denominator, value, source) in row.figures.items():
                if wanted is not None and code not in wanted:
                    continue
                cells[(pkey, code, row.category)] = Cell(
                    key=definition.key,
                    period=by_key[pkey],
                    division_code=code,
                    numerator=_figure(numerator, whole=not compute_share),
                    denominator=_figure(denominator, whole=True),
                    value=_figure(value, whole=not share and not definition.is_rate),
                    computed_at=row.computed_at,
                    denominator_source=source,
                )
    if memo is not None:
        memo[asked] = cells
    return cells


# Suppression --------------------------------------------------------------------------------

CellKey = tuple[str, str, str]


def _hide(cell: Cell) -> Cell:
    return replace(cell, numerator=None, value=None, suppressed=True)


# The layers of a pattern, coarsest first: each is decided against the ones before it, fixed.
_LAYERS = (
    (Kind.YEAR, Kind.TO_DATE),
    (Kind.HALF, Kind.QUARTER),
    (Kind.MONTH,),
    (Kind.TERM,),
)


def _sum_of(total: StatPeriod, part: StatPeriod) -> bool:
    """Whether `part` is one of the periods `total` is the sum of (a half's quarters, a year's
    halves, quarters and months, a term's months), for suppression's lines."""
    if part == total or not (total.start <= part.start and part.end <= total.end):
        return False
    if total.kind == Kind.TERM:
        return part.kind == Kind.MONTH
    order: list[str] = [Kind.YEAR, Kind.HALF, Kind.QUARTER, Kind.MONTH]
    return (
        total.kind in order
        and part.kind in order
        and order.index(part.kind) > order.index(total.kind)
    )


def _pattern(cells: dict[CellKey, Cell], where: Area) -> set[CellKey]:
    """The suppressed cells of a table of whole figures (category ALL), by layers: the years
    and the years to date; then the halves and quarters against their years; then the months
    against the years, halves and quarters; then the terms against their months. In each
    layer the townships of a period add up to the county's, and each division's period adds up
    from the periods it is made of, in its layer and in those already decided. The county's
    figures are published totals except its months (never suppressed for being small)."""
    county = where.county.code
    towns = [t.code for t in where.townships]
    periods = {k[0]: c.period for k, c in cells.items()}
    values = {k: c.numerator for k, c in cells.items()}
    decided: dict[CellKey, bool] = {}
    for kinds in _LAYERS:
        layer = {k: v for k, v in values.items() if periods[k[0]].kind in kinds}
        if not layer:
            continue
        own = [pk for pk, period in periods.items() if period.kind in kinds]
        lines = [Line([(pk, t, ALL) for t in towns], (pk, county, ALL)) for pk in own]
        for total in periods.values():
            parts_by_kind: dict[str, list[StatPeriod]] = defaultdict(list)
            for period in periods.values():
                if _sum_of(total, period):
                    parts_by_kind[period.kind].append(period)
            for kind, parts in parts_by_kind.items():
                if total.kind not in kinds and kind not in kinds:
                    continue  # decided in an earlier layer
                if sum((q.end - q.start).days for q in parts) != (total.end - total.start).days:
                    continue  # the parts do not make the whole period
                lines += [
                    Line([(q.key, code, ALL) for q in parts], (total.key, code, ALL))
                    for code in [county, *towns]
                ]
        exempt = {k for k in layer if k[1] == county and periods[k[0]].kind != Kind.MONTH}
        known = {**layer, **{k: values[k] for k in decided}}
        hidden = suppress(known, lines, exempt=exempt, fixed=decided) - set(decided)
        decided.update({k: k in hidden for k in layer})
    return {k for k, is_hidden in decided.items() if is_hidden}


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
    """The periods to compute so that every part of a year can be suppressed against the rest:
    for any half, quarter, month or term asked, the year, halves, quarters and months of every
    year it touches (a term's two years). Whatever a viewer asks, each cell's pattern is then
    decided on the same table."""
    found = list(dict.fromkeys(periods))
    years: set[int] = set()
    for p in periods:
        if p.kind not in (Kind.YEAR, Kind.TO_DATE):
            years |= {p.start.year, p.last_day.year}
    for year in sorted(years):
        whole = StatPeriod.year(year)
        extras = [whole, *(StatPeriod.half(year, h) for h in (1, 2))]
        extras += [StatPeriod.quarter(year, q) for q in (1, 2, 3, 4)]
        for extra in [*extras, *whole.months()]:
            if extra not in found:
                found.append(extra)
    return found


def _table(
    definition: defs.Definition,
    periods: Sequence[StatPeriod],
    viewer: User,
    where: Area,
    codes: Sequence[str],
) -> dict[tuple[str, str, str], Cell]:
    """The cells of `codes` for `periods`, suppressed as the viewer needs: the pattern is
    decided on every division and every period of the years asked."""
    if not definition.small_cells or sees_small_cells(viewer):
        return _read(definition, periods, where=where, codes=codes)
    cells = _read(definition, _expanded(periods), where=where)
    hidden = _pattern(cells, where)
    return {k: (_hide(c) if k in hidden else c) for k, c in cells.items()}


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
        if level == defs.TOWNSHIP:
            codes = [t.code for t in where.townships if _visible(viewer, t.code, where)]
        else:
            codes = [where.county.code]
        table = _table(definition, periods, viewer, where, codes)
        for period in periods:
            found.extend(table[(period.key, code, ALL)] for code in codes)
    return found


# The school level ---------------------------------------------------------------------------


def has_school_level(definition: defs.Definition) -> bool:
    """Whether the figure can be split by school: a count or a share (no rate on the minors of
    a division) whose rows each name their school (the declaration's `school` path)."""
    if definition.denominator:
        return False
    indicator = definition.indicator
    if indicator.share is not None:
        return bool(indicator.share.part.school and indicator.share.whole.school)
    return indicator.measure is not None and bool(indicator.measure.school)


def school_level_for(definition: defs.Definition, viewer: User) -> bool:
    """Whether `viewer` may see the figure school by school: a school's count of children can
    name a child, so counts with small cells are split by school for the lead agencies only."""
    if not views_statistics(viewer) or not has_school_level(definition):
        return False
    return not definition.small_cells or sees_small_cells(viewer)


def _school_counts(
    counted: contract.Counted, periods: Sequence[StatPeriod], schools: QuerySet[Any]
) -> dict[tuple[str, int], Figure]:
    """(period key, school pk) -> figure, for every school in `schools`, in one query."""
    names = {f"_p{i}": p for i, p in enumerate(periods)}
    aggregates = {}
    for name, p in names.items():
        aggregate = counted.aggregate()
        aggregate.filter = counted.when(p.as_period)
        aggregates[name] = aggregate
    rows = (
        counted.rows()
        .filter(**{f"{counted.school}__in": schools.values("pk")})
        .annotate(_school=F(counted.school))
        .values("_school")
        .annotate(**aggregates)
        .order_by()
    )
    found: dict[tuple[str, int], Figure] = {}
    for row in rows:
        for name, p in names.items():
            found[(p.key, row["_school"])] = contract.as_figure(row[name])
    return found


def school_cells(keys: Iterable[str], periods: Sequence[StatPeriod], *, viewer: User) -> list[Cell]:
    """The cells of `keys` × `periods` for every school the viewer's statistics cover (the
    county's, or their township's), in key, period, school (by division, then name) order:
    counted now, from the source rows, not cached. Keys the viewer may not split by school give
    no cells."""
    from weibao.schools.models import School

    prefix = township_prefix(viewer)
    schools = School.objects.filter(
        organisation__division__code__startswith=prefix or area().county.prefix
    ).order_by("organisation__division__code", "organisation__name")
    listed = list(schools.values_list("pk", "organisation__division__code"))
    installed = defs.definitions()
    now = timezone.now()
    found: list[Cell] = []
    for key in keys:
        definition = installed.get(key)
        if definition is None or not school_level_for(definition, viewer):
            continue
        share = definition.indicator.share
        if share is not None:
            parts = _school_counts(share.part, periods, schools)
            wholes = _school_counts(share.whole, periods, schools)
        else:
            assert definition.measure is not None
            parts, wholes = _school_counts(definition.measure, periods, schools), {}
        for period in periods:
            for pk, code in listed:
                numerator = parts.get((period.key, pk), 0)
                denominator = wholes.get((period.key, pk), 0) if share is not None else None
                value = (
                    contract.percent(int(numerator), int(denominator or 0))
                    if share is not None
                    else numerator
                )
                found.append(
                    Cell(key, period, code, numerator, denominator, value, now, school_id=pk)
                )
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
    return _table(definition, [period], viewer, where, [code])[(period.key, code, ALL)]


def raw_cells(
    key: str, periods: Sequence[StatPeriod], *, division: Division | None = None
) -> dict[str, Cell]:
    """One division's cells (the county's for None) by period key, unsuppressed, for the
    platform's own judgements that no viewer sees as cells (a target met or not)."""
    where = area()
    code = _code(division, where)
    table = _read(defs.get(key), periods, where=where)
    return {p.key: table[(p.key, code, ALL)] for p in periods}


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
        definition = defs.get(key)
        if definition.is_rate or definition.indicator.share is not None:  # per its denominator
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
    if definition is None:
        return None
    share = definition.indicator.share
    counted = share.part if share is not None else definition.measure
    if counted is None:
        return None
    rows = counted.filtered(division=division, period=period.as_period)
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
        if isinstance(definition.measure, contract.Measure):
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
    periods already cached for them (and the breakdowns already cached). Returns a summary."""
    from weibao.stats.periods import parse

    installed = defs.definitions()
    chosen = [installed[k] for k in (keys if keys is not None else installed) if k in installed]
    this_year = timezone.localdate().year
    where = area()
    cached: dict[tuple[str, bool], set[StatPeriod]] = defaultdict(set)
    stored = FigureCache.objects.filter(key__in=[d.key for d in chosen])
    for key, pkey, category in stored.values_list("key", "period", "category").distinct():
        with contextlib.suppress(ValueError):
            cached[(key, category != ALL)].add(parse(pkey))
    done = 0
    memo: Tables = {}
    computed: list[FigureCache] = []
    for definition in chosen:
        cached_periods = cached[(definition.key, False)]
        wanted = set(years) if years is not None else {this_year, this_year - 1}
        if years is None:
            wanted |= {p.start.year for p in cached_periods if p.kind == Kind.YEAR}
        periods = list(dict.fromkeys([*_default_periods(definition, wanted), *cached_periods]))
        rows = compute(definition, periods, where=where, memo=memo, store=False)
        done += sum(len(row.figures) for row in rows)
        computed += rows
        categorised = cached[(definition.key, True)]
        if definition.measure is not None and definition.measure.breakdown and categorised:
            computed += compute(
                definition,
                sorted(categorised, key=lambda p: p.key),
                where=where,
                by_category=True,
                memo=memo,
                store=False,
            )
    _replace([d.key for d in chosen], computed)
    return {"definitions": len(chosen), "cells": done}


def _replace(keys: Sequence[str], rows: Sequence[FigureCache]) -> None:
    """The cached rows of `keys` replaced by `rows` (a recompute's: every period cached before
    among them), in one transaction, so the figures change together: deleted and written anew
    in bulk (COPY on PostgreSQL). Should a page have cached one of them meanwhile, they are
    written over instead."""
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(keys))
    names = ["key", "period", "category", "figures", "computed_at", "sources_version"]
    values = (
        (r.key, r.period, r.category, r.figures, r.computed_at, r.sources_version) for r in rows
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Identifiers from the model's own metadata, quoted; the values go as data.
            table = q(FigureCache._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {q('key')} IN ({marks})", list(keys))  # noqa: S608
            insert_rows(FigureCache, names, values)
    except IntegrityError:
        _store(rows)
