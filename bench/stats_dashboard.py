"""The leaders' dashboard (/stats/) at 10x the demo county, as the county coordinator, against the
trivial logged-in page (/inbox/) on the same database.

    .venv/bin/python bench/stats_dashboard.py [--base-scale 1] [--growth 10] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/stats_dashboard.py

The database is made and grown as bench/stats_recompute.py does (its own SQLite or PostgreSQL
database, --var-dir to keep and reuse it). The figures are recomputed once first, as the nightly
job leaves them (not again in a reused --var-dir database that has them); then each page is
requested through Django's test Client with DEBUG off, `--repeat` times after three warm-up
requests (the floor and the pages alternated), and the median printed with its ratio to the
floor (no assertions). The first request
after the recompute is printed too. Target: the dashboard <= 3x the floor.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats_recompute import arguments, prepared, step

PAGES = ["/stats/"]
FLOOR = "/inbox/"


def measure_pages(repeat: int, first_year: int) -> None:
    """Inside Django: recompute, then time the pages as the coordinator."""
    from django.test import Client
    from django.utils import timezone

    from weibao.accounts.models import User
    from weibao.stats import engine
    from weibao.stats.models import FigureCache

    if FigureCache.objects.exists():
        print("figures cached already (a reused database): not recomputed")
    else:
        started = time.perf_counter()
        engine.recompute(years=list(range(first_year, timezone.localdate().year + 1)))
        print(f"recomputed in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(User.objects.get(username="coordinator"))

    def timed(path: str) -> float:
        started = time.perf_counter()
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return (time.perf_counter() - started) * 1000

    first = {path: timed(path) for path in PAGES}

    for path in [FLOOR, *PAGES]:
        for _ in range(3):
            timed(path)
    times: dict[str, list[float]] = {path: [] for path in [FLOOR, *PAGES]}
    for _ in range(repeat):  # alternated, so that a slower spell of the machine hits both
        for path in times:
            times[path].append(timed(path))
    floor = statistics.median(times[FLOOR])
    print("\nstatistics dashboard as the coordinator (median of", repeat, "requests)")
    print(f"  floor  {FLOOR:<40} {floor:8.1f} ms   1.00x")
    for path in PAGES:
        ms = statistics.median(times[path])
        print(f"  page   {path:<40} {ms:8.1f} ms  {ms / floor:5.2f}x")
        print(f"  first  {path + ' after the recompute':<40} {first[path]:8.1f} ms  "
              f"{first[path] / floor:5.2f}x")  # fmt: skip
    print("  target: the dashboard <= 3x the floor")


def main() -> None:
    args = arguments(__doc__.splitlines()[0], repeat=20)
    with prepared(args, prefix="weibao-bench-dashboard-") as env:
        step("pages", env, "--repeat", str(args.repeat), "--first-year", str(args.first_year))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
