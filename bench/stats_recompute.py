"""Statistics at 10x the demo county: the whole recompute of every indicator for every township
and period, against a floor of one plain SQL aggregate per declared count over the same rows.

    .venv/bin/python bench/stats_recompute.py [--base-scale 1] [--growth 10] [--repeat 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/stats_recompute.py

The database is the benchmark's own. SQLite in a temporary folder by default (or in --var-dir,
kept, and reused by the next run with the same scales, to profile later). With DATABASE_URL
naming a PostgreSQL server: a database weibao_bench_stats_<pid> the benchmark creates there and
drops at the end. It never writes to a database it did not create.

The demo county is seeded at --base-scale (50,000 pupils at 1), then the rows the indicators
count are grown to --growth times by bulk clones: criminal cases with their suspects, decisions
and victims, at-risk files and events, drowning incidents and patrols, venue violations and
inspections with their findings, law-education sessions, mandatory reports with their late
reports, orders to guardians with their guidance, family activities with their helpers, care
warnings, legal vice-principals' appointments and duties, staff-check requests with their items,
notices with their recipients. A clone keeps its original's division and moves all its dates
(and its rows' dates) by the same random shift of up to half a year, never into the future: the
divisions and dates stay as spread as the demo's. Stocks (the register, schools, waters, venues,
sites) stay at the base scale. Clones that would break a "one open ... per ..." rule are closed.

Printed, no assertions: the median of --repeat runs of each (at least 5, the floor's and the
recompute's alternated) and its ratio to the floor:

  floor      for each declared count (a Measure, a Stock, a Share's part and whole), one SQL
             aggregate over the years recomputed, GROUP BY township (the division code's first
             9 digits): a Measure by month too, a Stock with one conditional aggregate per year
             and the year to date; run with a cursor: the database's least work for those
             figures
  recompute  engine.recompute(years=...): every indicator, every township and period, cached
             (the nightly job's work, and what a stale figure's recompute does for its own)

Target: recompute <= 2x the floor.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, manage

FIRST_YEAR = 2017  # the speech's series starts there


# --- the database the benchmark makes for itself ----------------------------------------------


def _database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-qc", sql], check=True)


def step(name: str, env: dict[str, str], *args: str) -> None:
    """Run one step of this script inside Django, in a child process on the bench's database."""
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--step", name, *args],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextlib.contextmanager
def prepared(
    args: argparse.Namespace, prefix: str = "weibao-bench-stats-"
) -> Iterator[dict[str, str]]:
    """The environment of a seeded and grown database of the benchmark's own."""
    server = os.environ.get("DATABASE_URL", "")
    if server and not server.startswith("postgres"):
        sys.exit(
            "DATABASE_URL must name a PostgreSQL server (the benchmark makes its own database)"
        )
    with contextlib.ExitStack() as stack:
        var_dir = args.var_dir or stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix))
        env = {
            **os.environ,
            "WEIBAO_VAR_DIR": var_dir,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "weibao.settings",
        }
        env.pop("DATABASE_URL", None)
        marker = Path(var_dir) / "stats-bench-grown"
        wanted = f"base {args.base_scale} growth {args.growth}"
        if server:
            name = f"weibao_bench_stats_{os.getpid()}"
            _psql(server, f"CREATE DATABASE {name}")
            stack.callback(_psql, server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            env["DATABASE_URL"] = _database(server, name)
            print(f"PostgreSQL database {name} (dropped at the end)")
        elif marker.exists() and marker.read_text() == wanted:
            print(f"reusing the database in {var_dir} ({wanted})")
            yield env
            return
        else:
            print(f"SQLite database in {var_dir}")
        started = time.perf_counter()
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_demo", "--scale", str(args.base_scale), env=env)
        print(
            f"seeded scale {args.base_scale} in {time.perf_counter() - started:.0f} s", flush=True
        )
        started = time.perf_counter()
        step("grow", env, "--growth", str(args.growth))
        print(f"grown to {args.growth}x in {time.perf_counter() - started:.0f} s", flush=True)
        if not server:
            marker.write_text(wanted)
        yield env


# --- growing the counted rows (inside Django) ---------------------------------------------------


@dataclass(frozen=True)
class Tree:
    """A table to clone, with the tables whose rows belong to its rows (cloned with them)."""

    label: str  # "app.Model"
    parent: str = ""  # on a child: its foreign key to the parent row
    children: tuple[Tree, ...] = ()
    fix: Callable[[Any, int], None] | None = None  # make the i-th clone valid


def _suffix(field: str) -> Callable[[Any, int], None]:
    def fix(row: Any, i: int) -> None:
        size = type(row)._meta.get_field(field).max_length
        tail = f"/{i}"
        setattr(row, field, getattr(row, field)[: size - len(tail)] + tail)

    return fix


def _closed(field: str, after: str, days: int, **values: str) -> Callable[[Any, int], None]:
    """Close an open clone `days` after its `after` date (one open row per ... rules)."""

    def fix(row: Any, i: int) -> None:
        if getattr(row, field) is None:
            setattr(row, field, getattr(row, after) + timedelta(days=days))
            for name, value in values.items():
                setattr(row, name, value)

    return fix


def _serial(field: str, **values: Any) -> Callable[[Any, int], None]:
    def fix(row: Any, i: int) -> None:
        setattr(row, field, getattr(row, field) + 1_000_000 * i)
        for name, value in values.items():
            setattr(row, name, value)

    return fix


def _new_hire(row: Any, i: int) -> None:
    if row.kind == "annual":  # one annual request per unit and year
        row.kind = "new_hire"


def _no_idempotency_key(row: Any, i: int) -> None:
    row.idempotency_key = ""


def _no_duty(row: Any, i: int) -> None:
    row.duty_record = None


TREES = (
    Tree(
        "crimes.Case",
        fix=_suffix("number"),
        children=(
            Tree("crimes.Suspect", "case", children=(Tree("crimes.Decision", "suspect"),)),
            Tree("crimes.Victim", "case"),
        ),
    ),
    Tree(
        "atrisk.AtRiskFile",
        fix=_closed("closed_at", "opened_at", 30, closed_reason="improved"),
    ),
    Tree("atrisk.MisconductEvent", children=(Tree("atrisk.Involvement", "event"),)),
    Tree("drowning.Incident"),
    Tree("drowning.Patrol"),
    Tree("venues.Violation", fix=_closed("closed_at", "opened_at", 30, close_reason="cleared")),
    Tree("venues.Inspection", children=(Tree("venues.Finding", "inspection"),)),
    Tree("education.Session", fix=_no_duty),
    Tree(
        "casework.Case",
        fix=_no_idempotency_key,
        children=(Tree("casework.LateReport", "case"),),
    ),
    Tree(
        "casework.GuardianOrder",
        fix=_serial("serial"),
        children=(Tree("family.Guidance", "order"),),
    ),
    Tree("family.Activity", children=(Tree("family.Helper", "activity"),)),
    Tree("care.CareWarning", fix=_closed("closed_at", "raised_at", 1)),
    Tree(
        "legalvp.Appointment",
        fix=_serial("serial_no", renewed_from=None),
        children=(Tree("legalvp.AppointmentSchool", "appointment"),),
    ),
    Tree("legalvp.DutyRecord"),
    Tree(
        "staffchecks.CheckBatch",
        fix=_new_hire,
        children=(Tree("staffchecks.CheckItem", "batch"),),
    ),
    Tree("notices.Notice", children=(Tree("notices.NoticeRecipient", "notice"),)),
)


def _dates(model: Any) -> list[str]:
    from django.db.models import DateField

    return [f.attname for f in model._meta.concrete_fields if isinstance(f, DateField)]


def _shifted(row: Any, days: int, dates: list[str]) -> Any:
    clone = copy.copy(row)
    clone._state = copy.copy(row._state)
    clone._state.adding, clone._state.db, clone._state.fields_cache = True, None, {}
    clone.pk = None
    for name in dates:
        value = getattr(clone, name)
        if value is not None:
            setattr(clone, name, value + timedelta(days=days))
    return clone


def _shift(rng: random.Random, row: Any, dates: list[str], now: Any) -> int:
    """Up to half a year either way, never into the future."""
    from datetime import datetime

    days = rng.randint(-182, 182)
    for name in dates:
        value = getattr(row, name)
        if value is None:
            continue
        limit = now if isinstance(value, datetime) else now.date()
        if value + timedelta(days=days) > limit:
            return -abs(days)
    return days


def _rows_by_parent(tree: Tree) -> dict[int, list[Any]]:
    from django.apps import apps

    model = apps.get_model(tree.label)
    attname = model._meta.get_field(tree.parent).attname
    found: dict[int, list[Any]] = defaultdict(list)
    for row in model._base_manager.order_by("pk").iterator(chunk_size=5000):
        found[getattr(row, attname)].append(row)
    return found


def _snapshot(tree: Tree, into: dict[str, dict[int, list[Any]]]) -> None:
    for child in tree.children:
        into[child.label] = _rows_by_parent(child)
        _snapshot(child, into)


def _clone_children(
    tree: Tree,
    pairs: list[tuple[Any, Any, int]],
    i: int,
    snapshot: dict[str, dict[int, list[Any]]],
) -> None:
    from django.apps import apps

    for child in tree.children:
        model = apps.get_model(child.label)
        attname = model._meta.get_field(child.parent).attname
        dates = _dates(model)
        child_pairs = []
        for original, clone, days in pairs:
            for row in snapshot[child.label].get(original.pk, []):
                copied = _shifted(row, days, dates)
                setattr(copied, attname, clone.pk)
                if child.fix:
                    child.fix(copied, i)
                child_pairs.append((row, copied, days))
        model._base_manager.bulk_create([c for _r, c, _d in child_pairs], batch_size=1000)
        _clone_children(child, child_pairs, i, snapshot)


def grow(growth: int, seed: int = 2026) -> None:
    from django.apps import apps
    from django.db import transaction
    from django.utils import timezone

    rng = random.Random(seed)
    now = timezone.localtime()
    for tree in TREES:
        try:
            model = apps.get_model(tree.label)
        except LookupError:
            print(f"  {tree.label}: not installed")
            continue
        started = time.perf_counter()
        originals = list(model._base_manager.order_by("pk"))
        snapshot: dict[str, dict[int, list[Any]]] = {}
        _snapshot(tree, snapshot)
        dates = _dates(model)
        with transaction.atomic():
            for i in range(1, growth):
                pairs = []
                for row in originals:
                    days = _shift(rng, row, dates, now)
                    clone = _shifted(row, days, dates)
                    if tree.fix:
                        tree.fix(clone, i)
                    pairs.append((row, clone, days))
                model._base_manager.bulk_create([c for _r, c, _d in pairs], batch_size=1000)
                _clone_children(tree, pairs, i, snapshot)
        print(
            f"  {tree.label}: {len(originals)} -> {model._base_manager.count()} "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )


# --- the measurement (inside Django) ------------------------------------------------------------


def _median_s(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def declarations() -> list[tuple[str, Any]]:
    """Every declared count once (a Share's part and whole among them): (a key, the count)."""
    from weibao.core.contract import indicators

    found: dict[Any, str] = {}
    for key, indicator in sorted(indicators().items()):
        if indicator.measure is not None:
            found.setdefault(indicator.measure, key)
        elif indicator.share is not None:
            found.setdefault(indicator.share.part, f"{key} (part)")
            found.setdefault(indicator.share.whole, f"{key} (whole)")
    return [(key, counted) for counted, key in found.items()]


def floor_queries(years: range) -> list[tuple[str, str, list[Any]]]:
    """For each declared count: (key, SQL, params) of its one aggregate by township: a Measure
    by township and month over the years, a Stock by township with one conditional aggregate
    for each year and the year to date (the periods the recompute counts a Stock for)."""
    from datetime import date

    from django.db.models.functions import Substr, TruncMonth
    from django.utils import timezone

    from weibao.core.contract import Period, Stock, placement
    from weibao.stats.periods import year_to_date

    span = Period(date(years.start, 1, 1), date(years.stop, 1, 1))
    stock_periods = [Period.year(y) for y in years]
    stock_periods += [p.as_period for p in year_to_date(timezone.localdate())]
    found = []
    for key, counted in declarations():
        township = Substr(placement(counted.where), 1, 9)
        if isinstance(counted, Stock):
            aggregates = {}
            for i, period in enumerate(stock_periods):
                aggregate = counted.aggregate()
                aggregate.filter = counted.when(period)
                aggregates[f"bench_{i}"] = aggregate
            rows = (
                counted.rows()
                .annotate(bench_township=township)
                .values("bench_township")
                .annotate(**aggregates)
                .order_by()
            )
        else:
            rows = (
                counted.filtered(division=None, period=span)
                .annotate(bench_township=township, bench_month=TruncMonth(counted.on))
                .values("bench_township", "bench_month")
                .annotate(bench_value=counted.aggregate())
                .order_by()
            )
        sql, params = rows.query.sql_with_params()
        found.append((key, sql, list(params)))
    return found


def run_floor(queries: list[tuple[str, str, list[Any]]]) -> int:
    from django.db import connection

    cells = 0
    with connection.cursor() as cursor:
        for _key, sql, params in queries:
            cursor.execute(sql, params)
            cells += len(cursor.fetchall())
    return cells


def measure_recompute(repeat: int, first_year: int) -> None:
    from django.utils import timezone

    from weibao.stats import engine
    from weibao.stats.definitions import definitions

    years = range(first_year, timezone.localdate().year + 1)
    every = definitions()  # by the numerator: declared, or a compute function
    computed = sorted(key for key, d in every.items() if d.indicator.compute is not None)
    queries = floor_queries(years)
    cells = run_floor(queries)
    year_list = list(years)
    summaries = []
    floors, wholes = [], []
    for _ in range(max(repeat, 5)):  # alternated, so that a slower spell of the machine hits both
        floors.append(_median_s(lambda: run_floor(queries), 1))
        wholes.append(_median_s(lambda: summaries.append(engine.recompute(years=year_list)), 1))
    floor, whole = statistics.median(floors), statistics.median(wholes)
    print(
        f"\nstatistics recompute, {years.start}-{years.stop - 1}: {len(every)} definitions "
        f"({len(computed)} of them computed cell by cell), {len(queries)} declared counts "
        f"({cells} township cells in the floor)"
    )
    print(f"  floor      one SQL aggregate per count     {floor * 1000:9.1f} ms   1.00x")
    print(
        f"  recompute  every indicator, every period   {whole * 1000:9.1f} ms  "
        f"{whole / floor:6.2f}x"
    )
    print("  target: recompute <= 2x the floor")
    print(f"  engine summary: {summaries[-1]}")


def inside(argv: list[str]) -> None:
    """The steps run in a child process with Django set up on the bench's database."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--step", required=True)
    parser.add_argument("--growth", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    args, _rest = parser.parse_known_args(argv)
    if args.step == "grow":
        grow(args.growth)
    elif args.step == "recompute":
        measure_recompute(args.repeat, args.first_year)
    else:
        from stats_dashboard import measure_pages  # the dashboard's step

        measure_pages(args.repeat, args.first_year)


def arguments(description: str, repeat: int = 3) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--base-scale", type=float, default=1.0)
    parser.add_argument("--growth", type=int, default=10, help="the counted rows times this")
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--var-dir", help="keep the SQLite database here (reused if grown)")
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__.splitlines()[0], repeat=5)
    with prepared(args) as env:
        step("recompute", env, "--repeat", str(args.repeat), "--first-year", str(args.first_year))


if __name__ == "__main__":
    if "--step" in sys.argv:
        inside(sys.argv[1:])
    else:
        with contextlib.suppress(KeyboardInterrupt):
            main()
