"""The schools part of the demo county, on a tiny base county."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from weibao.accounts.models import Organisation, User
from weibao.demo.county import demo_county_seed
from weibao.demo.plan import SCHOOL_A, SCHOOL_B
from weibao.schools import demo
from weibao.schools.models import LiaisonAppointment, School
from weibao.schools.services import coverage_by_township, uncovered_schools

AS_OF = date(2026, 11, 1)


@pytest.fixture
def demo_county(db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
        demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)


def test_records_liaisons_and_gaps(demo_county) -> None:
    units = Organisation.objects.schools()
    assert School.objects.count() == units.count() > 0
    school = School.objects.get(organisation__name="乐安县第一中学")
    assert school.kind == School.Kind.SENIOR
    assert school.latitude is not None and school.principal_phone
    kindergarten = School.objects.get(organisation__name="乐安县阳光幼儿园")
    assert kindergarten.ownership == School.Ownership.PRIVATE
    assert sum(School.objects.values_list("pupil_count", flat=True)) > 0

    # The demo's liaison users are their schools' main liaisons.
    for username, school_name in (("liaison_a", SCHOOL_A), ("liaison_b", SCHOOL_B)):
        active = LiaisonAppointment.objects.active().get(
            school__organisation__name=school_name, position=LiaisonAppointment.Position.MAIN
        )
        assert active.user == User.objects.get(username=username)

    # It leaves real gaps, and history.
    assert uncovered_schools().count() == demo.GAPS
    _rows, total = coverage_by_township()
    assert len(total.uncovered) == demo.GAPS
    assert LiaisonAppointment.objects.filter(ended_on__isnull=False).exists()
    assert LiaisonAppointment.objects.active().filter(position="deputy").exists()
    # Every appointee is a campus liaison of the school's own unit.
    for appointment in LiaisonAppointment.objects.select_related("user", "school"):
        assert appointment.user.organisation_id == appointment.school.organisation_id
        assert appointment.user.role == "campus_liaison"


def test_idempotent(demo_county) -> None:
    counts = (School.objects.count(), LiaisonAppointment.objects.count(), User.objects.count())
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    assert counts == (
        School.objects.count(),
        LiaisonAppointment.objects.count(),
        User.objects.count(),
    )
