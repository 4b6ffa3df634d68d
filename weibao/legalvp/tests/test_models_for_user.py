"""Who sees which appointments, duty records and evaluations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from weibao.legalvp import services
from weibao.legalvp.models import Appointment, DutyRecord, Evaluation

pytestmark = pytest.mark.usefixtures("midyear")


def visible(user) -> set[int]:
    return set(Appointment.objects.for_user(user).values_list("pk", flat=True))


def test_appointment_scope(
    appointment,
    bureau,
    coordinator,
    prosecutor,
    vp_user,
    liaison_a,
    liaison_b,
    police,
    township_worker,
    outsider,
    sysadmin,
    auditor,
) -> None:
    mine = {appointment.pk}
    for user in (bureau, coordinator, prosecutor, vp_user, liaison_a):
        assert visible(user) == mine, user
    for user in (liaison_b, police, township_worker, outsider, sysadmin, auditor):
        assert visible(user) == set(), user


def test_two_school_appointment_visible_once(make_appointment, school_a, school_b, liaison_a):
    make_appointment([school_a, school_b])
    assert Appointment.objects.for_user(liaison_a).count() == 1


def test_duty_records_and_evaluations_by_school(
    make_appointment,
    school_a,
    school_b,
    bureau,
    admin_a,
    liaison_a,
    liaison_b,
    outsider,
    prosecutor,
) -> None:
    appointment = make_appointment([school_a, school_b])
    today = timezone.localdate()
    for school in (school_a, school_b):
        services.duty_record_add(
            actor=bureau,
            appointment=appointment,
            data={"school": school, "kind": "FD1", "hours": Decimal(1), "date": today},
        )
        services.evaluation_set(
            actor=bureau,
            appointment=appointment,
            school=school,
            year=today.year,
            grade="competent",
        )
    for model in (DutyRecord, Evaluation):
        a_only = set(model.objects.filter(school=school_a).values_list("pk", flat=True))
        b_only = set(model.objects.filter(school=school_b).values_list("pk", flat=True))
        assert set(model.objects.for_user(liaison_a).values_list("pk", flat=True)) == a_only
        assert set(model.objects.for_user(liaison_b).values_list("pk", flat=True)) == b_only
        assert model.objects.for_user(prosecutor).count() == 2
        assert model.objects.for_user(outsider).count() == 0
