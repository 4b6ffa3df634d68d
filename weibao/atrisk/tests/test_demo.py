"""The demo: seeds on the tiny base county, is idempotent, and the issue's walk-through works with
the demo accounts (school A's liaison, the 鳌溪镇 police, school B's liaison, the coordinator)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from weibao.accounts.models import User
from weibao.atrisk import demo, services
from weibao.atrisk.models import (
    AtRiskFile,
    Behaviour,
    Contact,
    Measure,
    MisconductEvent,
    RiskWarning,
)
from weibao.demo.county import demo_county_seed
from weibao.demo.plan import SCHOOL_A
from weibao.people.models import Person

AS_OF = date(2026, 11, 1)


@pytest.fixture
def demo_county(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    demo.seed(seed=2026, scale=0.05, as_of=AS_OF, progress=lambda s: None)


def test_seed_makes_graded_files_events_groups_and_is_idempotent(demo_county):
    files = AtRiskFile.objects.count()
    events = MisconductEvent.objects.count()
    assert files >= 40 and events >= 100
    assert MisconductEvent.objects.filter(is_group=True).exists()
    grades = set(AtRiskFile.objects.values_list("grade", flat=True))
    assert {"T1", "T2"} <= grades
    assert (
        Measure.objects.filter(sealed=True).exists()
        or MisconductEvent.objects.filter(sealed=True).exists()
    )
    assert Contact.objects.overdue(AS_OF).exists()
    assert AtRiskFile.objects.filter(worker__username="liaison_a").exists()
    demo.seed(seed=2026, scale=0.05, as_of=AS_OF, progress=lambda s: None)
    assert AtRiskFile.objects.count() == files and MisconductEvent.objects.count() == events


def test_seed_is_deterministic(demo_county):
    first = list(AtRiskFile.objects.order_by("person_id").values_list("person_id", "grade"))
    AtRiskFile.objects.all().delete()
    MisconductEvent.objects.all().delete()
    demo.seed(seed=2026, scale=0.05, as_of=AS_OF, progress=lambda s: None)
    assert list(AtRiskFile.objects.order_by("person_id").values_list("person_id", "grade")) == first


def test_walkthrough_with_demo_accounts(demo_county, client_for):
    liaison_a = User.objects.get(username="liaison_a")
    liaison_b = User.objects.get(username="liaison_b")
    police = User.objects.get(username="police")
    pupil = (
        Person.objects.filter(school__name=SCHOOL_A, atrisk_files__isnull=True)
        .minors()
        .order_by("birth_date")
        .first()
    )
    assert pupil is not None
    day = timezone.localdate() - timedelta(days=5)
    services.event_record(
        actor=liaison_a,
        people=[pupil],
        data={
            "occurred_on": day,
            "behaviours": list(Behaviour.objects.filter(code__in=["BL01", "BL02"])),
        },
    )
    file = AtRiskFile.objects.get(person=pupil)
    assert file.grade == "T1"
    services.event_record(
        actor=police,
        people=[pupil],
        data={"occurred_on": day, "behaviours": list(Behaviour.objects.filter(code="SB04"))},
    )
    file.refresh_from_db()
    assert file.grade == "T2" and file.plan.contact_days == 14
    assert RiskWarning.objects.filter(file=file, kind="grade_up").exists()
    b = client_for(liaison_b)
    assert b.get(file.get_absolute_url()).status_code == 404
    assert b.get(f"/api/v1/atrisk/files/{file.pk}/").status_code == 404


def test_grades_are_spread(demo_county):
    counts = dict(AtRiskFile.objects.values_list("grade").annotate(n=Count("pk")))
    assert counts.get("T1", 0) > counts.get("T4", 0)
