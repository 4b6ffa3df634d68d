"""The people export on a real SQLite file while the county keeps writing.

It failed twice at 9 % with "database is locked" while its progress page was open: the job read
through one open cursor and wrote its progress on the same connection, and any commit by anyone
else in between made SQLite refuse the write at once. This runs the real job handler in a
separate process on a file database, with another connection committing all the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = r"""
import threading, time
from datetime import date
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

call_command("migrate", verbosity=0)

from weibao.accounts.models import Role, User
from weibao.core import jobs
from weibao.core.models import Job
from weibao.people.models import Person
from weibao.people.services import person_export_start
from weibao.testing import id_for, make_county, make_user

county = make_county()
liaison = make_user("liaison_a", county.school_a, Role.CAMPUS_LIAISON)
people = []
for seq in range(2400):
    person = Person(name="张小明", sex="M", birth_date=date(2015, 3, 4), school=county.school_a,
                    registered_by=county.school_a, division=county.village_a)
    person.set_id_number(id_for(date(2015, 3, 4), seq=seq % 1000, prefix=f"36{seq // 1000:04d}"))
    people.append(person)
Person.objects.bulk_create(people)
job = person_export_start(actor=liaison, filters={}, purpose="家访名单核对")
Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)

stop = threading.Event()
def other_writers():
    # Another user of the county: a commit every few milliseconds on its own connection.
    while not stop.is_set():
        User.objects.filter(pk=liaison.pk).update(last_login=timezone.now())
        time.sleep(0.002)
    connection.close()

writer = threading.Thread(target=other_writers)
writer.start()
try:
    status = jobs.execute(str(job.pk))
finally:
    stop.set()
    writer.join()
job.refresh_from_db()
print("RESULT", status, job.done, job.total, job.message)
"""


def test_export_finishes_while_others_write(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'county.sqlite3'}",
        "WEIBAO_VAR_DIR": str(tmp_path),
        "FILE_ROOT": str(tmp_path / "files"),
        "DJANGO_SETTINGS_MODULE": "weibao.settings",
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    done = subprocess.run(  # noqa: S603  (our own script, our own interpreter)
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = [line for line in done.stdout.splitlines() if line.startswith("RESULT")]
    assert result == ["RESULT done 2400 2400 "], done.stdout[-2000:] + done.stderr[-2000:]
