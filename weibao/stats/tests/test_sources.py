"""Which changes mark which figures stale: a declaration's rows, the models its date and
breakdown cross, those it depends on, a Share's two parts, and a many-to-many link's table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db.models.signals import m2m_changed

from weibao.stats import tasks
from weibao.stats.models import Stale

pytestmark = pytest.mark.django_db


def keys_of(label: str) -> frozenset[str]:
    return tasks._sources().get(apps.get_model(label), frozenset())


def test_a_share_depends_on_both_parts_and_what_they_read() -> None:
    assert "drowning.custodian_share" in keys_of("drowning.HazardousWater")
    assert "drowning.custodian_share" in keys_of("drowning.Custodian_waters")  # the links' table
    assert "care.care_visit_coverage" in keys_of("care.Visit")
    assert "care.care_visit_coverage" in keys_of("people.LeftBehindStatus")
    assert "crimes.gang_share" in keys_of("crimes.Case")
    assert "MINORS" in keys_of("people.Person")


def test_a_link_added_marks_the_figures_made_of_it_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from weibao.drowning.models import Custodian

    through = Custodian.waters.through
    assert m2m_changed.has_listeners(through)
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("pre_add", "post_add"):
            tasks._changed(sender=through, action=action, instance=None)
    assert Stale.objects.filter(key="drowning.custodian_share").count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime(2026, 11, 20, 2, 0, tzinfo=UTC), tick=False)
def test_one_recompute_waits_at_a_time_however_many_commits(settings: Any) -> None:
    """Rows saved one by one (each its own commit) queue one recompute, not one each; once it
    has run, the next change queues another, and it recomputes the stale figures only."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from weibao.stats import engine
    from weibao.stats.models import FigureCache
    from weibao.stats.periods import StatPeriod
    from weibao.testing import make_county

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    county = make_county()  # many rows, many commits
    jobs = DBTaskResult.objects.filter(task_path="weibao.stats.tasks.recompute_stale")
    assert jobs.count() == 1
    engine.recompute(["people.minors_registered"], years=[2026])
    before = FigureCache.objects.get(key="people.minors_registered", period="2026")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    assert jobs.successful().count() == 1
    from weibao.people.models import Person

    Person.objects.create(
        name="丙",
        sex="F",
        birth_date=StatPeriod.year(2015).start,
        division=county.village_a,
        registered_by=county.procuratorate,
    )
    assert jobs.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    after = FigureCache.objects.get(key="people.minors_registered", period="2026")
    assert after.sources_version > before.sources_version
