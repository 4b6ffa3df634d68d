"""Drowning prevention at 10x the demo's waters (3,200): the map's data endpoint and the
overdue-patrol list against a trivial logged-in page, with their query counts at 1x and 10x
(they must not grow with the number of waters).

    .venv/bin/python bench/drowning_map.py [--base-scale 0.2] [--waters-scale 10]

The waters, their patrols and incidents live over the county's villages, whose number does not
depend on the base county's scale; so the base county (people, schools) is seeded small by
default and only the drowning part is built again at --waters-scale.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atrisk_pages import serve
from harness import Session, manage, report

PAGES = ("/drowning/map/data/", "/drowning/patrols/overdue/")

COUNT_QUERIES = """
from django.db import connection
from django.test.utils import CaptureQueriesContext
from weibao.accounts.models import User
from weibao.drowning.models import HazardousWater, Patrol
from weibao.testing import logged_in
waters, patrols = HazardousWater.objects.count(), Patrol.objects.count()
for username in ("water", "township"):
    client = logged_in(User.objects.get(username=username))
    for path in {pages!r}:
        client.get(path)  # warm the caches (permissions, contract)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        print(f"queries {{waters}} waters, {{patrols}} patrols, {{username:<9}} {{path:<28}} "
              f"{{len(queries):3d}} (HTTP {{status}})")
"""

RESEED = """
import time
from weibao.drowning import demo
from weibao.drowning.models import (
    Catchment, Custodian, DeathReview, HazardousWater, Incident, Patrol, Rectification,
    TownshipMap,
)
from django.utils import timezone
for model in (Rectification, DeathReview, Incident, Patrol, Custodian, Catchment,
              HazardousWater, TownshipMap):
    model.objects.all().delete()
started = time.perf_counter()
demo.seed(seed=2026, scale={scale}, as_of=timezone.localdate(), progress=print)
print(f"waters {{HazardousWater.objects.count()}}, patrols {{Patrol.objects.count()}}, "
      f"seeded in {{time.perf_counter() - started:.1f}} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-scale", type=float, default=0.2)
    parser.add_argument("--waters-scale", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="weibao-bench-drowning-") as tmp:
        env = {**os.environ, "WEIBAO_VAR_DIR": tmp, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_demo", "--scale", str(args.base_scale), env=env)
        print(f"seeded scale {args.base_scale} in {time.perf_counter() - started:.0f} s")
        manage("shell", "-c", COUNT_QUERIES.format(pages=PAGES), env=env)  # the demo's waters
        manage("shell", "-c", RESEED.format(scale=args.waters_scale), env=env)
        manage("shell", "-c", COUNT_QUERIES.format(pages=PAGES), env=env)  # 10x
        with serve(tmp) as base:
            for username in ("water", "township"):
                session = Session(base, username)
                floor = session.median_ms("/inbox/", args.repeat)
                rows = [(path, session.median_ms(path, args.repeat)) for path in PAGES]
                report(
                    f"drowning at waters scale {args.waters_scale}, as {username}",
                    "/inbox/",
                    floor,
                    rows,
                )


if __name__ == "__main__":
    main()
