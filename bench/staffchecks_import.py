"""Benchmark: import a 50,000-row staff roster from Excel.

Times the real import path, as a unit uses it: `roster_upload` (every row checked, the file
stored, nothing written to the roster) then `roster_upload_import` (the file checked again as it
is written, all in one transaction), as a ratio to the floor: reading the same file with calamine
alone. Then measures the peak of Python memory (tracemalloc) and of the process (maxrss) on a
smaller and a larger file, to show that memory stays flat as the file grows.

    .venv/bin/python bench/staffchecks_import.py [--rows 50000] [--small 10000]

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL is set (a throwaway
database). Target: within 3x of the floor.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = ["Name", "ID number", "Role", "Start date", "End date"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉"
ROLES = ("教师", "teacher", "行政人员", "保安", "食堂", "司机", "志愿者")
PREFIXES = ("361025", "361002", "360102", "361021", "361022", "361023", "361024", "361026")


def make_file(path: Path, rows: int, series: int) -> None:
    """A roster of `rows` valid rows (ID numbers unique across series), written streaming."""
    from openpyxl import Workbook

    from weibao.lib import idnumber

    rng = random.Random(series)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("roster")
    sheet.append(HEADER)
    for n in range(rows):
        # Unique: the birth date and the sequence number come from the row's own number.
        k = series * 1_000_000 + n
        birth = date(1960, 1, 1) + timedelta(days=k // 900 % 14_000)
        number = idnumber.make(PREFIXES[k // (900 * 14_000)], birth, k % 900)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        start = date(2000 + rng.randrange(25), 9, 1).isoformat()
        sheet.append([name, number, rng.choice(ROLES), start, None])
    workbook.save(path)


def calamine_floor(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    with open(path, "rb") as handle:
        rows = CalamineWorkbook.from_filelike(handle).get_sheet_by_index(0).iter_rows()
        count = sum(1 for _row in rows)
    elapsed = time.perf_counter() - started
    assert count > 1
    return elapsed


def import_file(path: Path, unit: Any, actor: Any) -> tuple[int, float, float]:
    """The unit's two steps; returns (rows written, check seconds, import seconds)."""
    from django.core.files import File

    from weibao.staffchecks import services

    with open(path, "rb") as handle:
        started = time.perf_counter()
        roster = services.roster_upload(actor=actor, unit=unit, upload=File(handle, path.name))
        checked = time.perf_counter()
    assert roster.bad_rows == 0, roster.errors[:3]
    written = services.roster_upload_import(actor=actor, roster=roster)
    return written, checked - started, time.perf_counter() - checked


def peak_memory(run: Callable[[], object]) -> tuple[float, float]:
    """(tracemalloc peak in MiB, growth of the process's maxrss in MiB) while `run` runs."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20, (after - before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="weibao-bench-"))
    atexit.register(shutil.rmtree, tmp, True)  # the data is large: leave nothing behind
    os.environ.setdefault("WEIBAO_VAR_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from weibao.accounts.models import Division, Organisation, Role
    from weibao.staffchecks.models import StaffMember
    from weibao.testing import make_user

    settings.ATTACHMENT_MAX_BYTES = max(settings.ATTACHMENT_MAX_BYTES, 50 * 2**20)
    call_command("migrate", "--noinput", verbosity=0)
    print(f"database: {connection.vendor}", flush=True)
    county = Division.objects.get_or_create(
        code="361025000000", defaults={"name": "乐安县", "level": Division.Level.COUNTY}
    )[0]
    units = iter(
        Organisation.objects.create(
            name=f"bench school {n}", kind=Organisation.Kind.SCHOOL_PRIMARY, division=county
        )
        for n in range(100)
    )
    first = next(units)
    actor = make_user(f"bench{first.pk}", first, Role.UNIT_ADMIN)

    # The files first (so that making them does not count in the process's memory).
    files = {}
    started = time.perf_counter()
    for series, rows in ((1, args.small), (2, args.rows), (3, args.rows)):
        files[series] = tmp / f"roster-{series}-{rows}.xlsx"
        make_file(files[series], rows, series=series)
    print(f"files made in {time.perf_counter() - started:.1f} s", flush=True)

    # Memory: the import path on a small then a large file (a fresh unit and new people each).
    print("\nmemory (tracemalloc peak of Python objects; growth of the process's maxrss)")
    for series, rows in ((1, args.small), (2, args.rows)):
        path, unit = files[series], next(units)
        traced, rss = peak_memory(functools.partial(import_file, path, unit, actor))
        size = path.stat().st_size / 2**20
        print(
            f"  {rows:>7} rows ({size:4.1f} MiB file): tracemalloc peak {traced:6.1f} MiB, "
            f"maxrss +{rss:6.1f} MiB",
            flush=True,
        )

    # Time: the third file, untraced.
    big = files[3]
    calamine_floor(big)  # warm
    floor_s = min(calamine_floor(big) for _ in range(3))
    written, check_s, import_s = import_file(big, first, actor)
    assert written == args.rows and StaffMember.objects.filter(unit=first).count() == args.rows
    total_s = check_s + import_s
    print(f"\n{args.rows}-row roster import on {connection.vendor} (all rows written, verified)")
    print(f"  floor  calamine read          {floor_s * 1000:9.1f} ms   1.00x")
    print(f"  check  roster_upload          {check_s * 1000:9.1f} ms  {check_s / floor_s:5.2f}x")
    print(f"  write  roster_upload_import   {import_s * 1000:9.1f} ms  {import_s / floor_s:5.2f}x")
    print(f"  total  upload + import        {total_s * 1000:9.1f} ms  {total_s / floor_s:5.2f}x")


if __name__ == "__main__":
    main()
