"""Benchmark: import a 50,000-row staff roster from Excel.

Times the real import path, as a unit uses it: `roster_upload` of a clean file (every row
checked and written in one pass, in one transaction), as a ratio to the floor: reading the same
file with calamine alone. For the parts of that time, it also times the rows' own work on their
own: the checks, the field encryption, and the INSERT of the same rows prepared in advance.
Then it measures the peak of Python memory (tracemalloc) and of the process (maxrss) on a
smaller and a larger file, to show that memory stays flat as the file grows, and the other path:
a file whose last row is bad (nothing kept), then its good rows imported.

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


def make_file(path: Path, rows: int, series: int, bad_last: bool = False) -> None:
    """A roster of `rows` valid rows (ID numbers unique across series), written streaming; with
    `bad_last`, the last row has a bad ID number."""
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
        if bad_last and n == rows - 1:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
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


def upload(path: Path, unit: Any, actor: Any) -> Any:
    from django.core.files import File

    from weibao.staffchecks import services

    with open(path, "rb") as handle:
        return services.roster_upload(actor=actor, unit=unit, upload=File(handle, path.name))


def import_file(path: Path, unit: Any, actor: Any) -> int:
    """A clean file: checked and written in one pass; returns the rows written."""
    roster = upload(path, unit, actor)
    assert roster.bad_rows == 0 and roster.status == "imported", roster.errors[:3]
    return int(roster.imported_rows)


def parts(path: Path, unit: Any) -> dict[str, float]:
    """Seconds of the import's parts on their own: reading the rows into texts, checking them,
    encrypting the ID numbers, and inserting the same people and roster rows (rolled back)."""
    from django.db import transaction
    from django.utils import timezone

    from weibao.kit import bulk, crypto
    from weibao.people.models import Person
    from weibao.staffchecks.models import StaffMember
    from weibao.staffchecks.services import rosters as services

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with open(path, "rb") as handle:
        texts = [t for _n, t in services.spreadsheets.read_rows(handle, services.ROSTER_COLUMNS)]
    seconds["read"] = time.perf_counter() - started
    check = services._roster_row_checker(timezone.localdate())
    started = time.perf_counter()
    rows = [check(t) for t in texts]
    seconds["check"] = time.perf_counter() - started
    started = time.perf_counter()
    encrypted = [crypto.encrypt(row.number) for row in rows]
    seconds["encrypt"] = time.perf_counter() - started
    with transaction.atomic():
        started = time.perf_counter()
        bulk.insert_rows(
            Person,
            ("name", "sex", "birth_date", "id_number_encrypted", "id_number_hash", "registered_by"),
            (
                (r.name, r.sex, r.birth_date, e, r.id_hash, unit.pk)
                for r, e in zip(rows, encrypted, strict=True)
            ),
        )
        seconds["insert people"] = time.perf_counter() - started
        people = Person.objects.filter(registered_by=unit).values_list("pk", flat=True)
        started = time.perf_counter()
        bulk.insert_rows(
            StaffMember,
            ("unit", "person", "role", "start_date", "status"),
            (
                (unit.pk, pk, "teacher", r.start_date, "active")
                for r, pk in zip(rows, people, strict=True)
            ),
        )
        seconds["insert roster"] = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


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
    from weibao.staffchecks import services
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
    started = time.perf_counter()
    written = import_file(big, first, actor)
    total_s = time.perf_counter() - started
    assert written == args.rows and StaffMember.objects.filter(unit=first).count() == args.rows
    print(f"\n{args.rows}-row roster import on {connection.vendor} (all rows written, verified)")
    print(f"  floor  calamine read            {floor_s * 1000:9.1f} ms   1.00x")
    print(f"  import roster_upload, one pass  {total_s * 1000:9.1f} ms  {total_s / floor_s:5.2f}x")
    print("  its parts, each on its own (the insert of rows prepared in advance):")
    fresh = tmp / "roster-parts.xlsx"
    make_file(fresh, args.rows, series=5)  # people not yet on file
    for name, part_s in parts(fresh, next(units)).items():
        print(f"    {name:28} {part_s * 1000:9.1f} ms  {part_s / floor_s:5.2f}x")

    # The other path: the last row is bad, so nothing is kept; then the good rows go in.
    bad = tmp / "roster-bad-last.xlsx"
    make_file(bad, args.rows, series=4, bad_last=True)
    unit = next(units)
    started = time.perf_counter()
    roster = upload(bad, unit, actor)
    check_s = time.perf_counter() - started
    assert roster.bad_rows == 1 and not StaffMember.objects.filter(unit=unit).exists()
    started = time.perf_counter()
    written = services.roster_upload_import(actor=actor, roster=roster)
    good_s = time.perf_counter() - started
    assert written == args.rows - 1
    print(f"\na file whose last row is bad ({args.rows} rows)")
    print(f"  upload: checked, nothing kept   {check_s * 1000:9.1f} ms  {check_s / floor_s:5.2f}x")
    print(f"  then the good rows imported     {good_s * 1000:9.1f} ms  {good_s / floor_s:5.2f}x")


if __name__ == "__main__":
    main()
