"""Benchmark: audited writes per second with 1, 4 and 16 concurrent writers, on PostgreSQL.

Each writer is a process with its own connection. One write is one transaction, as a service
does it: an INSERT of a business row, then (audited) `audit.services.record(...)`. Printed for
each number of writers, each figure the median of the rounds:

  plain      the same transaction without audit (the floor: 1.00x)
  unchained  the business row plus an audit row with no chain at all (no head, no lock): what
             the audit row costs by itself
  1 chain    the old design: one chain, one head row locked by every audited write until commit
  N chains   the new design: AUDIT_CHAINS heads, each writer on a free one (SKIP LOCKED)

with writes/s and the time ratio to the floor (floor writes/s / audited writes/s). Target: at 16
writers, N chains <= 1.5x. The chains are verified at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_writers.py

DATABASE_URL names the server (and the user); the benchmark creates its own database there
(weibao_bench_audit_<pid>), migrates it, and drops it at the end: it never writes to a database
it did not create.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LEVELS = (1, 4, 16)


def _setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def writer(env: dict[str, str], commands: Any, results: Any) -> None:
    """A writer process: waits for (mode, chains, start, seconds), writes until the time is up,
    reports how many writes it made."""
    _setup(env)
    from django.conf import settings
    from django.db import connection, transaction

    from weibao.audit.models import AuditEvent
    from weibao.audit.services import record

    # The unchained row is inserted as `record` inserts its row (one raw INSERT), minus the chain.
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    insert = (
        f"INSERT INTO audit_auditevent ({', '.join(str(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    connection.ensure_connection()
    results.put(0)  # ready
    while True:
        command = commands.get()
        if command is None:
            connection.close()
            return
        mode, chains, start, seconds = command
        settings.AUDIT_CHAINS = chains
        count = 0
        while time.time() < start:
            time.sleep(0.001)
        end = start + seconds
        with connection.cursor() as cursor:
            while time.time() < end:
                with transaction.atomic():
                    cursor.execute(
                        "INSERT INTO bench_write (n, note) VALUES (%s, %s)", [count, "x"]
                    )
                    if mode == "unchained":
                        event = AuditEvent(
                            action="create",
                            actor_username="bench",
                            target_repr="bench",
                            detail={"n": count},
                            prev_hash="0" * 64,
                            hash=uuid.uuid4().hex * 2,
                            chain=1000 + os.getpid() % 30000,
                            seq=time.time_ns(),
                        )
                        values = [
                            f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields
                        ]
                        cursor.execute(insert, values)
                    elif mode == "audited":
                        record(
                            AuditEvent.Action.CREATE,
                            username="bench",
                            target_repr="bench",
                            n=count,
                        )
                count += 1
        results.put(count)


def _database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-qc", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chains", type=int, default=16, help="AUDIT_CHAINS of the new design")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        sys.exit(
            "DATABASE_URL must name a PostgreSQL server (the benchmark makes its own database)"
        )
    name = f"weibao_bench_audit_{os.getpid()}"
    url = _database(server, name)
    _psql(server, f"CREATE DATABASE {name}")
    tmp = tempfile.mkdtemp(prefix="weibao-bench-audit-")
    env = {
        "DATABASE_URL": url,
        "WEIBAO_VAR_DIR": tmp,
        "DJANGO_SETTINGS_MODULE": "weibao.settings",
        "DEBUG": "0",
        "AUDIT_CHAINS": str(args.chains),
    }
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
        _psql(url, "CREATE TABLE bench_write (id bigserial PRIMARY KEY, n integer, note text)")
        run(env, args)
        _psql(url, "DELETE FROM audit_auditevent WHERE chain >= 1000")  # the unchained rows
        subprocess.run(
            [sys.executable, "manage.py", "audit_verify"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
    finally:
        _psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(env: dict[str, str], args: argparse.Namespace) -> None:
    context = mp.get_context("spawn")
    commands, results = context.Queue(), context.Queue()
    workers = [
        context.Process(target=writer, args=(env, commands, results)) for _ in range(max(LEVELS))
    ]
    for process in workers:
        process.start()
    for _ in workers:
        results.get(timeout=300)  # Every writer has set Django up and connected.
    modes = [
        ("plain", "plain", 1),
        ("unchained", "unchained", 1),
        ("1 chain", "audited", 1),
        (f"{args.chains} chains", "audited", args.chains),
    ]
    rates: dict[tuple[str, int], list[float]] = {}
    try:
        for round_ in range(args.rounds):
            for level in LEVELS:
                # Each round in another order: no mode always runs on the larger tables.
                turn = round_ % len(modes)
                for label, mode, chains in modes[turn:] + modes[:turn]:
                    start = time.time() + 0.3  # Every writer is waiting by then.
                    for _ in range(level):
                        commands.put((mode, chains, start, args.seconds))
                    total = sum(results.get(timeout=120) for _ in range(level))
                    rates.setdefault((label, level), []).append(total / args.seconds)
    finally:
        for _ in workers:
            commands.put(None)
        for process in workers:
            process.join(timeout=30)
    print(f"\naudited writes/s on PostgreSQL, median of {args.rounds} rounds of {args.seconds:g} s")
    print(f"  {'writers':>7}  " + "".join(f"{label:>22}" for label, _, _ in modes))
    for level in LEVELS:
        floor = statistics.median(rates["plain", level])
        cells = []
        for label, _, _ in modes:
            rate = statistics.median(rates[label, level])
            cells.append(f"{rate:9.0f}/s {floor / rate:6.2f}x   ")
        print(f"  {level:>7}  " + "".join(f"{cell:>22}" for cell in cells))
    after = statistics.median(rates[f"{args.chains} chains", 16])
    ratio = statistics.median(rates["plain", 16]) / after
    bare = statistics.median(rates["unchained", 16]) / after
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(
        f"\ntarget at 16 writers, {args.chains} chains <= 1.5x the unaudited time: "
        f"{ratio:.2f}x, {verdict} ({bare:.2f}x the same rows without a chain)"
    )


if __name__ == "__main__":
    main()
