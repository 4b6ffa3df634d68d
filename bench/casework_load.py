"""Load: 20 clients filing mandatory reports and accepting referrals at once, for a minute.

Against a gunicorn (4 workers x 4 threads) on a seeded demo county: on SQLite, and on PostgreSQL
too when DATABASE_URL is set (a fresh, empty database: the script migrates and seeds it). Half the
clients push reports through the API with an idempotency key (every fifth push is a retry of the
one before, which must come back 200 with the same report); the other half accept referrals that
were sent to their unit. Afterwards the rows are counted: no errors, none lost, none duplicated.
The median time per request is printed as a ratio to a trivial logged-in page (/inbox/) measured
by a 21st client during the same run.

    .venv/bin/python bench/casework_load.py [--seconds 60] [--clients 20] [--scale 0.05]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import cast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ROOT, Session, manage

SETUP = """
import json
from rest_framework.authtoken.models import Token
from weibao.accounts.models import Organisation, Role, User
from weibao.casework import services
from weibao.casework.models import Referral
K = Organisation.Kind
n = {n}
per = {per}
reporters = list(Organisation.objects.filter(kind__in=[K.HOSPITAL, K.SCHOOL_PRIMARY,
    K.VILLAGE_COMMITTEE, K.HOTEL, K.SCHOOL_SECONDARY]).order_by("pk")[:n])
receivers = list(Organisation.objects.filter(kind__in=[K.CIVIL_AFFAIRS, K.WOMENS_FEDERATION,
    K.SOCIAL_WORK, K.TOWNSHIP, K.YOUTH_LEAGUE]).order_by("pk")[:n])
coordinator = User.objects.get(username="coordinator")
case = services.Case.objects.order_by("pk").first()
if case is None:
    from weibao.accounts.models import Division
    village = Division.objects.filter(level=5).order_by("code").first()
    case, _ = services.report_file(actor=coordinator, data={{"situations": ["MR09"],
        "child_description": "bench", "seen": "bench", "place": "bench", "division": village,
        "reporter_name": "bench"}})
out = {{"filers": [], "receivers": [], "case_division": case.division.code}}
def user(unit, name):
    u, _ = User.objects.get_or_create(username=name, defaults=dict(organisation=unit,
        role=Role.CASE_WORKER, full_name=name))
    return Token.objects.get_or_create(user=u)[0].key
for i, unit in enumerate(reporters):
    out["filers"].append(user(unit, f"bench_filer_{{i}}"))
for i, unit in enumerate(receivers):
    ids = []
    for j in range(per):
        r, _ = services.referral_create(actor=coordinator, data={{"case": case, "to_unit": unit,
            "action": "relief", "request": "bench"}}, idempotency_key=f"bench-{{i}}-{{j}}")
        ids.append(r.pk)
    out["receivers"].append({{"token": user(unit, f"bench_receiver_{{i}}"), "ids": ids}})
print("BENCH" + json.dumps(out))
"""

COUNT = """
import json
from weibao.casework.models import Case, Referral
print("BENCH" + json.dumps({
    "reports": Case.objects.filter(idempotency_key__startswith="bench-").count(),
    "keys": Case.objects.filter(idempotency_key__startswith="bench-")
        .values("reporting_unit", "idempotency_key").distinct().count(),
    "accepted": Referral.objects.filter(idempotency_key__startswith="bench-", status="accepted")
        .count(),
}))
"""


def shell(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCH"))
    return json.loads(line[5:])


@contextmanager
def server(scale: float, database_url: str | None) -> Iterator[tuple[str, dict[str, str]]]:
    """Migrate, seed and serve; like harness.demo_server, with more workers and a database URL."""
    with tempfile.TemporaryDirectory(prefix="weibao-bench-") as tmp:
        env = {**os.environ, "WEIBAO_VAR_DIR": tmp, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
            env["DB_CONN_MAX_AGE"] = "60"
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_demo", "--scale", str(scale), env=env)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "weibao.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "4",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**env, "DEBUG": "1"},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            yield base, env
        finally:
            process.terminate()
            process.wait(timeout=10)


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    retried_same: int = 0
    accepted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def call(base: str, token: str, path: str, body: dict | None, key: str = "") -> tuple[int, dict]:
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else b"{}"
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read()[:200].decode("utf-8", "replace")}


def filer(base: str, token: str, n: int, division: str, stop: float, tally: Tally) -> None:
    i, last = 0, None
    while time.perf_counter() < stop:
        retry = last is not None and i % 5 == 4
        key = last[0] if retry and last else f"bench-{n}-{i}"
        body = {
            "situations": ["MR04"],
            "child_description": "约十岁男孩",
            "seen": "多处伤痕",
            "place": "bench",
            "division": division,
            "reporter_name": "压测",
        }
        started = time.perf_counter()
        status, answer = call(base, token, "/api/v1/casework/reports/", body, key)
        elapsed = (time.perf_counter() - started) * 1000
        with tally.lock:
            tally.times.append(elapsed)
            if retry and last:
                if status != 200 or answer.get("id") != last[1]:
                    tally.errors.append(f"retry {key}: {status} {answer}")
                else:
                    tally.retried_same += 1
            elif status == 201:
                tally.created += 1
                last = (key, answer["id"])
            else:
                tally.errors.append(f"file {key}: {status} {answer}")
        i += 1


def receiver(base: str, token: str, ids: list[int], stop: float, tally: Tally) -> None:
    for pk in ids:
        if time.perf_counter() >= stop:
            return
        started = time.perf_counter()
        status, answer = call(base, token, f"/api/v1/casework/referrals/{pk}/accept/", None)
        elapsed = (time.perf_counter() - started) * 1000
        with tally.lock:
            tally.times.append(elapsed)
            if status == 200 and answer.get("status") == "accepted":
                tally.accepted += 1
            else:
                tally.errors.append(f"accept {pk}: {status} {answer}")


def floor_poller(session: Session, stop: float, times: list[float]) -> None:
    while time.perf_counter() < stop:
        started = time.perf_counter()
        session.get("/inbox/")
        times.append((time.perf_counter() - started) * 1000)


def run(label: str, database_url: str | None, args: argparse.Namespace) -> bool:
    half = args.clients // 2
    with server(args.scale, database_url) as (base, env):
        setup = shell(SETUP.format(n=half, per=args.referrals), env)
        session = Session(base, "police")
        session.median_ms("/inbox/", repeat=5)
        tally, floor_times = Tally(), cast(list[float], [])
        stop = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(target=filer, args=(base, t, n, setup["case_division"], stop, tally))
            for n, t in enumerate(setup["filers"])
        ] + [
            threading.Thread(target=receiver, args=(base, r["token"], r["ids"], stop, tally))
            for r in setup["receivers"]
        ]
        threads.append(threading.Thread(target=floor_poller, args=(session, stop, floor_times)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = shell(COUNT, env)
    floor = statistics.median(floor_times)
    median = statistics.median(tally.times)
    requests = len(tally.times)
    lost_or_dup = counts["reports"] != tally.created or counts["keys"] != counts["reports"]
    lost_accept = counts["accepted"] != tally.accepted
    print(f"\n{label}: {len(threads) - 1} clients for {args.seconds} s")
    print(f"  requests {requests} ({requests / args.seconds:.1f}/s), errors {len(tally.errors)}")
    print(
        f"  reports filed {tally.created}, counted {counts['reports']} "
        f"(distinct keys {counts['keys']}); retries answered with the first {tally.retried_same}"
    )
    print(f"  referrals accepted {tally.accepted}, counted {counts['accepted']}")
    print(f"  floor  /inbox/ under load            {floor:8.1f} ms   1.00x")
    print(f"  median per casework request          {median:8.1f} ms  {median / floor:5.2f}x")
    print(
        f"  p95 per casework request             "
        f"{sorted(tally.times)[int(requests * 0.95)]:8.1f} ms"
    )
    for error in tally.errors[:5]:
        print("  error:", error)
    ok = not tally.errors and not lost_or_dup and not lost_accept
    print("  RESULT", "ok" if ok else "FAILED")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--referrals", type=int, default=400, help="referrals per receiver")
    args = parser.parse_args()
    ok = run("SQLite", None, args)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        ok = run("PostgreSQL", os.environ["DATABASE_URL"], args) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
