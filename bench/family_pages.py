"""The family network's lists and the left-behind list at 10x the demo, with their filters,
against the trivial logged-in page (the inbox) on the same server, and each page's query count
at 1x and at 10x (they must be the same: flat).

    .venv/bin/python bench/family_pages.py [--base-scale 1] [--family-scale 10]

The base county is seeded at scale 1 (50,000 pupils); then the family network's own rows are
seeded again at 10x (30,000 volunteers in the four teams and the lecturers, about 20,000
activities over two years), the left-behind children are copied to 10x (about 47,000, each a
new person of the register) and the care records (contacts, visits, difficulties, warnings) are
seeded again for all of them. The pages read only those rows and the register behind them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atrisk_pages import serve
from harness import Session, manage, report

PAGES = [
    "/family/volunteers/",
    "/family/volunteers/?page=99999",
    "/family/volunteers/?q=%E7%8E%8B",  # 王
    "/family/volunteers/?q=zh",
    "/family/volunteers/?status=active&clearance=clear",
    "/family/volunteers/?clearance=none",
    "/family/activities/",
    "/family/activities/?kind=talk&year=2026",
    "/family/activities/counts/",
    "/family/sites/",
    "/family/coverage/",
    "/care/",
    "/care/?page=99999",
    "/care/?q=%E7%8E%8B",
    "/care/?overdue=on",
    "/care/?not_visited=on",
    "/care/?kind=left_behind&warning=on",
    "/care/overview/",
]

RESEED = """
import copy, secrets, time
from django.utils import timezone
from weibao.care import demo as care_demo
from weibao.care.models import CareAppointment, CareWarning, Contact, Difficulty, Visit
from weibao.family import demo
from weibao.family.models import Activity, Guidance, Helper, Site, Team, Training, Volunteer
from weibao.people.models import LeftBehindStatus, Person
started = time.perf_counter()
for model in (CareWarning, Visit, Contact, Difficulty, CareAppointment):
    model.objects.all().delete()
volunteers = Person.objects.filter(volunteer__isnull=False)
for model in (Guidance, Helper, Activity, Training):
    model.objects.all().delete()
ids = list(volunteers.values_list("pk", flat=True))
Volunteer.objects.all().delete()
Site.objects.all().delete()
Team.objects.all().delete()
Person.objects.filter(pk__in=ids).delete()
demo.seed(seed=2026, scale={scale}, as_of=timezone.localdate(), progress=print)
print(f"volunteers {{Volunteer.objects.count()}}, activities {{Activity.objects.count()}}, "
      f"sites {{Site.objects.count()}}, reseeded in {{time.perf_counter() - started:.1f}} s")

# The left-behind children to {scale}x, then the care records again for all of them.
started = time.perf_counter()
statuses = list(LeftBehindStatus.objects.filter(is_active=True).select_related("child"))
for _copy in range(int({scale}) - 1):
    people = []
    for status in statuses:
        person = copy.copy(status.child)
        person.pk = None
        person.id_number_hash, person.id_number_encrypted = secrets.token_hex(32), ""
        people.append(person)
    made = Person.objects.bulk_create(people, batch_size=2000)
    LeftBehindStatus.objects.bulk_create(
        [LeftBehindStatus(child=person, parents_away=status.parents_away,
                          entrusted_carer_id=status.entrusted_carer_id,
                          written_notice_date=status.written_notice_date)
         for person, status in zip(made, statuses)],
        batch_size=2000,
    )
care_demo.seed(seed=2026, scale={scale}, as_of=timezone.localdate(), progress=print)
print(f"left behind {{LeftBehindStatus.objects.filter(is_active=True).count()}}, "
      f"contacts {{Contact.objects.count()}}, visits {{Visit.objects.count()}}, "
      f"reseeded in {{time.perf_counter() - started:.1f}} s")
"""

QUERIES = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from weibao.accounts.models import User
client = Client()
client.force_login(User.objects.get(username="civil_affairs"))
for path in {pages!r}:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    print(f"QUERIES {{path}} {{status}} {{len(captured.captured_queries)}}")
"""


def query_counts(env: dict[str, str]) -> dict[str, int]:
    import subprocess

    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", QUERIES.format(pages=PAGES)],
        cwd=Path(__file__).resolve().parents[1],
        env={**env, "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts = {}
    for line in out.splitlines():
        if line.startswith("QUERIES "):
            _tag, path, status, count = line.split(" ")
            if status != "200":
                raise RuntimeError(f"{path} answered {status}")
            counts[path] = int(count)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-scale", type=float, default=1.0)
    parser.add_argument("--family-scale", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="weibao-bench-family-") as tmp:
        env = {**os.environ, "WEIBAO_VAR_DIR": tmp, "DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        manage("migrate", "--noinput", "-v0", env=env)
        manage("seed_demo", "--scale", str(args.base_scale), env=env)
        print(f"seeded scale {args.base_scale} in {time.perf_counter() - started:.0f} s")
        at_1x = query_counts(env)
        manage("shell", "-c", RESEED.format(scale=args.family_scale), env=env)
        at_10x = query_counts(env)
        with serve(tmp) as base:
            session = Session(base, "civil_affairs")
            floor = session.median_ms("/inbox/", args.repeat)
            rows = [(path, session.median_ms(path, args.repeat)) for path in PAGES]
        title = f"family pages: base scale {args.base_scale}, family scale {args.family_scale}"
        report(title, "/inbox/", floor, rows)
        print(f"\n  queries per page (1x -> {args.family_scale:g}x)")
        for path in PAGES:
            flat = "flat" if at_1x[path] == at_10x[path] else "GROWS"
            print(f"  {path:<44} {at_1x[path]:4d} -> {at_10x[path]:4d}  {flat}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
