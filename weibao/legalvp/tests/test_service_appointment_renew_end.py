"""appointment_renew and appointment_end, and ending expired terms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.legalvp import services
from weibao.legalvp.models import Appointment


def test_renew_links_and_numbers_a_new_term(bureau, appointment, school_a) -> None:
    new = services.appointment_renew(actor=bureau, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.RENEWED
    assert new.renewed_from == appointment
    assert new.term_start == appointment.term_end + timedelta(days=1)
    assert new.term_end == date(
        new.term_start.year + 3, new.term_start.month, new.term_start.day
    ) - timedelta(days=1)
    assert list(new.schools.all()) == [school_a]
    assert new.serial_no == appointment.serial_no + 1
    assert new.appointee_user_id == appointment.appointee_user_id


def test_renew_may_change_schools_within_the_limit(bureau, appointment, school_b, make_school):
    new = services.appointment_renew(
        actor=bureau, appointment=appointment, schools=[school_b, make_school("三小")]
    )
    assert new.schools.count() == 2


def test_renew_refuses_three_schools(bureau, appointment, school_a, school_b, make_school):
    with pytest.raises(ValidationError) as caught:
        services.appointment_renew(
            actor=bureau,
            appointment=appointment,
            schools=[school_a, school_b, make_school("三小")],
        )
    assert "schools" in caught.value.message_dict
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ACTIVE
    assert Appointment.objects.count() == 1


def test_renew_twice_is_refused(bureau, appointment) -> None:
    services.appointment_renew(actor=bureau, appointment=appointment)
    with pytest.raises(ValidationError) as caught:
        services.appointment_renew(actor=bureau, appointment=appointment)
    assert "status" in caught.value.message_dict


def test_end(bureau, appointment) -> None:
    services.appointment_end(actor=bureau, appointment=appointment, reason="调任")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ENDED
    assert appointment.ended_on == timezone.localdate()
    assert not Appointment.objects.active().exists()
    with pytest.raises(ValidationError):
        services.appointment_end(actor=bureau, appointment=appointment)


def test_end_before_start_is_refused(bureau, appointment) -> None:
    with pytest.raises(ValidationError) as caught:
        services.appointment_end(
            actor=bureau, appointment=appointment, ended_on=appointment.term_start - timedelta(1)
        )
    assert "ended_on" in caught.value.message_dict
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ACTIVE


def test_expired_terms_are_ended_once(make_appointment, school_a) -> None:
    old = make_appointment([school_a], term_start=date(2020, 9, 1), issued_on=date(2020, 9, 1))
    assert services.appointments_end_expired() == 1
    assert services.appointments_end_expired() == 0
    old.refresh_from_db()
    assert (old.status, old.ended_on) == (Appointment.Status.ENDED, date(2023, 8, 31))
