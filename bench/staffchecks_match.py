"""Benchmark: check 100,000 roster rows against a 1,000,000-row register.

Prints the time of `weibao.staffchecks.matching.match_batch` as a ratio to the floor: one SQL join
of the same hash columns in the same database. Verifies that exactly the planted exact and
possible matches are found, and everyone else is left without a finding (clear once the request
is done). SQLite in a temporary folder by default; PostgreSQL when
DATABASE_URL is set (use a throwaway database: the tables are filled and emptied).

    .venv/bin/python bench/staffchecks_match.py [--items 100000] [--register 1000000] [--runs 3]

Each run resets the results (not timed) and times the floor and the match again; the figures are
the best of the runs, as machines shared with other work are noisy.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = date(1960, 1, 1)


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_data(items: int, register: int, planted: int) -> int:
    """The register with `planted` exact and `planted` possible matches for the batch's items;
    returns the batch's id."""
    import django
    from django.db import connection, transaction

    from weibao.accounts.models import Division, Organisation
    from weibao.staffchecks.models import (
        CheckBatch,
        CheckItem,
        MatchDecision,
        OffenderRecord,
        RegisterImport,
    )

    with transaction.atomic():
        MatchDecision.objects.all().delete()
        CheckItem.objects.all().delete()
        CheckBatch.objects.all().delete()
        OffenderRecord.objects.all().delete()
        division = Division.objects.get_or_create(
            code="361025000000", defaults={"name": "乐安县", "level": 3}
        )[0]
        unit = Organisation.objects.get_or_create(
            name="bench school", defaults={"kind": "school_primary", "division": division}
        )[0]
        source = RegisterImport.objects.create(organisation=unit, rows=register)
        batch = CheckBatch.objects.create(unit=unit, kind="annual", year=1999)
    exact_planted = set(range(0, planted * 2, 2))  # item i's ID is on the register
    with connection.cursor() as cursor, transaction.atomic():
        table = OffenderRecord._meta.db_table
        sql = (
            f"INSERT INTO {table} (id_hash, name_key, birth_date, categories, name_encrypted, "
            "id_number_encrypted, source_id, imported_at) VALUES (%s, %s, %s, %s, '', '', %s, %s)"
        )
        now = django.utils.timezone.now()
        chunk = []
        for r in range(register):
            if r < planted * 2:
                i = r
                if i in exact_planted:
                    row = (h(f"id{i}"), f"reg{r}", BASE + timedelta(days=r % 15000))
                else:  # item i's name and birth date, another ID number
                    row = (h(f"other{i}"), f"n{i}", BASE + timedelta(days=i % 15000))
            else:
                row = (h(f"reg{r}"), f"reg{r}", BASE + timedelta(days=r % 15000))
            chunk.append((*row, "sexual", source.pk, now))
            if len(chunk) == 20_000:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
        table = CheckItem._meta.db_table
        sql = (
            f"INSERT INTO {table} (batch_id, id_hash, name_key, birth_date, name_encrypted, "
            "id_number_encrypted, result, match_kind, action) "
            "VALUES (%s, %s, %s, %s, '', '', 'queued', '', '')"
        )
        rows = [
            (batch.pk, h(f"id{i}"), f"n{i}", BASE + timedelta(days=i % 15000)) for i in range(items)
        ]
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
    return batch.pk


def reset(batch_id: int) -> None:
    """Every item back to "not yet checked" (as the data was made), outside the timing."""

    from weibao.staffchecks.models import CheckItem

    CheckItem.objects.filter(batch_id=batch_id).exclude(result="queued").update(
        result="queued", match_kind="", matched_record=None, checked_at=None
    )
    settle()


def match_parts(batch_id: int) -> dict[str, float]:
    """Seconds of match_batch's parts, each rule's join; and, for comparison, what writing
    "clear" into every other row would cost, which match_batch does not do (rolled back)."""
    from django.db import connection, transaction

    from weibao.staffchecks import matching
    from weibao.staffchecks.models import CheckItem

    seconds = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        for name, sql in (
            ("exact rule (ID hash join)", matching.SAME_ID),
            ("possible rule (name join)", matching.SAME_NAME),
        ):
            started = time.perf_counter()
            matching._matches(sql, batch_id)
            seconds[name] = time.perf_counter() - started
        started = time.perf_counter()
        CheckItem.objects.filter(batch_id=batch_id, result="queued").update(result="clear")
        seconds["(not done) clear per row"] = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def settle() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would, between two checks
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--register", type=int, default=1_000_000)
    parser.add_argument("--planted", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="weibao-bench-")
    atexit.register(shutil.rmtree, tmp, True)  # the data is large: leave nothing behind
    os.environ.setdefault("WEIBAO_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from weibao.staffchecks import matching
    from weibao.staffchecks.models import CheckItem, OffenderRecord

    call_command("migrate", "--noinput", verbosity=0)
    print(f"database: {connection.vendor}", flush=True)
    started = time.perf_counter()
    batch_id = make_data(args.items, args.register, args.planted)
    settle()
    print(f"data made in {time.perf_counter() - started:.0f} s", flush=True)
    exact_planted = {f"n{i}" for i in range(0, args.planted * 2, 2)}
    possible_planted = {f"n{i}" for i in range(1, args.planted * 2, 2)}

    def floor() -> float:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(
                f"SELECT COUNT(*) FROM {CheckItem._meta.db_table} i JOIN "
                f"{OffenderRecord._meta.db_table} r ON r.id_hash = i.id_hash "
                "WHERE i.batch_id = %s",
                [batch_id],
            )
            found = cursor.fetchone()[0]
            elapsed = time.perf_counter() - started
        assert found == len(exact_planted), found
        return elapsed

    floor()  # warm the cache
    floors, matches = [], []
    for run in range(args.runs):
        if run:
            reset(batch_id)
        floors.append(min(floor() for _ in range(3)))
        started = time.perf_counter()
        with transaction.atomic():
            counts = matching.match_batch(batch_id)
        matches.append(time.perf_counter() - started)
        items = CheckItem.objects.filter(batch_id=batch_id)
        barred = set(items.filter(result="barred").values_list("name_key", flat=True))
        possible = set(items.filter(result="possible").values_list("name_key", flat=True))
        assert barred == exact_planted, "exact matches differ from the planted"
        assert possible == possible_planted, "possible matches differ"
        # Everyone else is left without a finding, and reads clear once the request is done.
        unfound = items.filter(result="queued").count()
        assert unfound == args.items - len(exact_planted) - len(possible_planted)
        print(
            f"  run {run + 1}: floor {floors[-1] * 1000:.1f} ms, match {matches[-1] * 1000:.1f} ms",
            flush=True,
        )
    floor_s, match_s = min(floors), min(matches)
    reset(batch_id)
    parts = match_parts(batch_id)
    print(
        f"{args.items} items x {args.register} register rows on {connection.vendor}: "
        f"exact {counts.exact}, possible {counts.possible}, without a finding {unfound} "
        "(all verified)"
    )
    print(f"  floor  single hash join      {floor_s * 1000:9.1f} ms   1.00x")
    print(f"  match  match_batch           {match_s * 1000:9.1f} ms  {match_s / floor_s:5.2f}x")
    print("  its parts, each on its own:")
    for name, part_s in parts.items():
        print(f"    {name:28}{part_s * 1000:9.1f} ms  {part_s / floor_s:5.2f}x")
    print(f"match/join ratio: {match_s / floor_s:.2f}  (best of {args.runs} runs)")


if __name__ == "__main__":
    main()
