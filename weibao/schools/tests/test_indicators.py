"""The schools figures for the statistics app: schools, and schools with a liaison in post."""

from __future__ import annotations

from datetime import date

from weibao.accounts.models import Role
from weibao.core.contract import Period, figure
from weibao.schools.models import LiaisonAppointment, School
from weibao.testing import make_user


def test_schools_and_liaisons_in_post_on_the_last_day(county) -> None:
    a = School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)
    b = School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    LiaisonAppointment.objects.create(
        school=a,
        user=make_user("la", county.school_a, Role.CAMPUS_LIAISON),
        started_on=date(2024, 9, 1),
    )
    LiaisonAppointment.objects.create(
        school=b,
        user=make_user("lb", county.school_b, Role.CAMPUS_LIAISON),
        started_on=date(2024, 9, 1),
        ended_on=date(2025, 6, 30),
    )
    assert figure("schools.schools", division=None, period=Period.year(2025)) == 2
    School.objects.filter(pk=b.pk).update(closed_on=date(2026, 7, 1))
    assert figure("schools.schools", division=None, period=Period.year(2026)) == 1
    assert figure("schools.schools", division=county.township_b, period=Period.year(2025)) == 1
    assert figure("schools.schools_with_liaison", division=None, period=Period.year(2024)) == 2
    assert figure("schools.schools_with_liaison", division=None, period=Period.year(2025)) == 1
    assert (
        figure("schools.schools_with_liaison", division=county.township_b, period=Period.year(2025))
        == 0
    )
    assert figure("schools.schools_with_liaison", division=None, period=Period.year(2024)) == 2
