"""The demo seed: real coverage gaps, terms ending soon, a few below four hours; idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings

from weibao.accounts.models import Organisation
from weibao.demo.county import demo_county_seed
from weibao.legalvp import demo, services
from weibao.legalvp.models import Appointment, DutyRecord, Evaluation
from weibao.schools.models import School

AS_OF = date(2026, 11, 1)


def _school_records() -> None:
    """The school records the schools demo makes (its own seed, when it exists, is used)."""
    try:
        from weibao.schools.demo import seed as schools_seed
    except ImportError:
        kinds = {
            Organisation.Kind.SCHOOL_PRIMARY: School.Kind.PRIMARY,
            Organisation.Kind.SCHOOL_SECONDARY: School.Kind.JUNIOR,
            Organisation.Kind.SCHOOL_VOCATIONAL: School.Kind.VOCATIONAL,
            Organisation.Kind.SCHOOL_SPECIAL: School.Kind.SPECIAL,
            Organisation.Kind.KINDERGARTEN: School.Kind.KINDERGARTEN,
        }
        School.objects.bulk_create(
            School(organisation=unit, kind=kinds[Organisation.Kind(unit.kind)])
            for unit in Organisation.objects.schools()
        )
    else:
        schools_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)


@pytest.fixture
def demo_county(db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    _school_records()


def test_no_schools_no_records(db: None) -> None:
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    assert not Appointment.objects.exists()


def test_seed(demo_county: None) -> None:
    lines: list[str] = []
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lines.append)
    count = Appointment.objects.count()
    assert 50 <= count <= 60
    assert lines and "legal vice-principals" in lines[0]
    uncovered = services.schools_without_appointment(AS_OF).count()
    assert 1 <= uncovered <= 8
    ending = Appointment.objects.ending_within(60, on=AS_OF).count()
    assert ending >= 3
    assert Appointment.objects.filter(
        sending_unit__name="乐安县人民检察院鳌溪检察室", person__name="刘莹"
    ).exists()
    below = [
        a
        for a in Appointment.objects.active(AS_OF)
        if services.law_education_hours(a, AS_OF.year) < 4
    ]
    assert 1 <= len(below) <= 10
    assert DutyRecord.objects.exists() and Evaluation.objects.filter(year=2025).exists()
    for appointment in Appointment.objects.active(AS_OF):  # the two-school rule holds
        schools = set(
            Appointment.objects.active(AS_OF)
            .filter(person=appointment.person)
            .values_list("schools", flat=True)
        )
        assert len(schools) <= 2
    assert all(d.date <= AS_OF for d in DutyRecord.objects.all())
    assert not DutyRecord.objects.filter(date__gt=AS_OF + timedelta(days=0)).exists()
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lines.append)  # idempotent
    assert Appointment.objects.count() == count
