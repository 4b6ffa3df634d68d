"""Benchmark: re-check every venue against every school after a distance rule changes, at ten
times the demo county (1,000 schools, 3,000 venues).

Prints the time of `weibao.venues.services.recheck()` (read the venues, schools and rules,
find the pairs within each rule on the WGS-84 ellipsoid, and bring the stored violations to
them: open, close, update) as a ratio to the floor: one SQL query finding the same pairs with
the distances computed in the database (a box on latitude and longitude, then the haversine
distance), which writes nothing. Target: at most 2x. Each run changes the internet-café rule
(200 m, then 300 m, and back), so every run has violations to open or close; the figures are
the best of the runs. SQLite in a temporary folder.

    .venv/bin/python bench/venues_recheck.py [--schools 1000] [--venues 3000] [--runs 3]
"""

from __future__ import annotations

import argparse
import atexit
import math
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CENTRE = (27.43, 115.83)
SPREAD = 0.3  # degrees around the county seat
EARTH_RADIUS_M = 6_371_008.8


def make_data(schools: int, venues: int, seed: int = 2026) -> None:
    from weibao.accounts.models import Division, Organisation
    from weibao.lib import creditcode
    from weibao.schools.models import School
    from weibao.venues.demo import KINDS
    from weibao.venues.models import Venue

    rng = random.Random(seed)
    county = Division.objects.create(code="361025000000", name="乐安县", level=3)
    township = Division.objects.create(code="361025100000", name="鳌溪镇", level=4, parent=county)
    village = Division.objects.create(code="361025100201", name="鳌溪村", level=5, parent=township)
    Organisation.objects.create(name="文旅局", kind="culture_tourism", division=county)
    Organisation.objects.create(name="市场监管局", kind="market_regulation", division=county)
    units = Organisation.objects.bulk_create(
        Organisation(name=f"学校{i}", kind="school_primary", division=village)
        for i in range(schools)
    )
    kinds = ["primary", "primary", "junior", "senior", "kindergarten", "nine_year"]
    points = []
    rows = []
    for unit in units:
        lat = CENTRE[0] + rng.uniform(-SPREAD, SPREAD)
        lng = CENTRE[1] + rng.uniform(-SPREAD, SPREAD)
        points.append((lat, lng))
        rows.append(
            School(
                organisation=unit,
                kind=rng.choice(kinds),
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lng:.6f}"),
            )
        )
    School.objects.bulk_create(rows, batch_size=1000)
    names = list(KINDS)
    weights = [KINDS[k][0] for k in names]
    venue_rows = []
    for number in range(venues):
        lat0, lng0 = rng.choice(points)
        metres, angle = rng.uniform(20, 1500), rng.uniform(0, 2 * math.pi)
        lat = lat0 + metres * math.cos(angle) / 111_000
        lng = lng0 + metres * math.sin(angle) / (111_000 * math.cos(math.radians(lat0)))
        venue_rows.append(Venue(
            kind=rng.choices(names, weights)[0], name=f"场所{number}",
            credit_code=creditcode.make("92", "361025", f"{number:09d}"), village=village,
            latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lng:.6f}"),
        ))  # fmt: skip
    Venue.objects.bulk_create(venue_rows, batch_size=1000)


def set_rule(kind: str, metres: int, school_kinds: list[str], day: date) -> None:
    """Close the rule in force for `kind` and open a new one (as rule_set does, no job)."""
    from weibao.venues.models import DistanceRule

    DistanceRule.objects.filter(kind=kind, valid_to__isnull=True).update(valid_to=day)
    DistanceRule.objects.create(kind=kind, school_kinds=school_kinds, metres=metres,
                                valid_from=day, basis="bench")  # fmt: skip


def floor_pairs() -> set[tuple[int, int]]:
    """The pairs within each rule in force, computed in one SQL query."""
    from django.db import connection

    from weibao.schools.models import School
    from weibao.venues.models import DistanceRule, Venue

    parts, params = [], []
    for rule in DistanceRule.objects.in_force():
        dlat = rule.metres / 110_574 * 1.01
        dlng = dlat / math.cos(math.radians(CENTRE[0] + SPREAD + 0.1))
        marks = ", ".join(["%s"] * len(rule.school_kinds))
        parts.append(
            "SELECT v.id AS vid, s.id AS sid, v.latitude AS vlat, v.longitude AS vlng, "
            f"s.latitude AS slat, s.longitude AS slng, {rule.metres} AS metres "
            f"FROM {Venue._meta.db_table} v JOIN {School._meta.db_table} s "
            f"ON v.latitude BETWEEN s.latitude - {dlat} AND s.latitude + {dlat} "
            f"AND v.longitude BETWEEN s.longitude - {dlng} AND s.longitude + {dlng} "
            f"WHERE v.kind = %s AND v.status != 'closed' AND s.closed_on IS NULL "
            f"AND s.kind IN ({marks})"
        )
        params += [rule.kind, *rule.school_kinds]
    distance = (
        f"2 * {EARTH_RADIUS_M} * asin(sqrt(power(sin(radians(slat - vlat) / 2), 2) "
        "+ cos(radians(vlat)) * cos(radians(slat)) * power(sin(radians(slng - vlng) / 2), 2)))"
    )
    sql = f"SELECT vid, sid FROM ({' UNION ALL '.join(parts)}) WHERE {distance} <= metres"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return set(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--venues", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="weibao-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    os.environ.setdefault("WEIBAO_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from weibao.venues.models import Violation
    from weibao.venues.services import recheck

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    make_data(args.schools, args.venues)
    day = date(2026, 1, 1)
    set_rule("V07", 50, ["primary", "junior", "senior", "nine_year"], day)
    recheck()
    print(f"database: {connection.vendor}; {args.schools} schools, {args.venues} venues; "
          f"data made in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    floors, checks = [], []
    primary_secondary = ["primary", "junior", "senior", "nine_year"]
    for run in range(args.runs):
        day += timedelta(days=1)
        set_rule("V01", 300 if run % 2 == 0 else 200, primary_secondary, day)
        started = time.perf_counter()
        pairs = floor_pairs()
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        outcome = recheck()
        checks.append(time.perf_counter() - started)
        stored = set(Violation.objects.open().values_list("venue_id", "school_id"))
        # The same pairs, but for those within a few centimetres of a circle, where the sphere
        # (the floor) and the ellipsoid (the check) may fall on either side.
        assert len(stored ^ pairs) <= max(2, len(pairs) // 1000), (len(stored), len(pairs))
        print(f"  run {run + 1}: floor {floors[-1] * 1000:.1f} ms, recheck "
              f"{checks[-1] * 1000:.1f} ms ({outcome})", flush=True)  # fmt: skip
    floor_s, check_s = min(floors), min(checks)
    print(f"  floor    one SQL pass (box + haversine)  {floor_s * 1000:9.1f} ms   1.00x")
    print(f"  recheck  services.recheck()              {check_s * 1000:9.1f} ms  "
          f"{check_s / floor_s:5.2f}x  (target <= 2x)")  # fmt: skip


if __name__ == "__main__":
    main()
