"""Duty records and the four-hour rule: law_education_hours and the below-minimum list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.legalvp import services
from weibao.legalvp.models import Appointment, DutyRecord


def add(actor, appointment, school, kind="FD1", hours="2", when=None, **extra):
    data = {
        "school": school,
        "kind": kind,
        "hours": Decimal(hours),
        "date": when or timezone.localdate(),
        **extra,
    }
    return services.duty_record_add(actor=actor, appointment=appointment, data=data)


def test_law_education_counts_toward_four_hours(vp_user, appointment, school_a) -> None:
    year = timezone.localdate().year
    add(vp_user, appointment, school_a, "FD1", "2")
    add(vp_user, appointment, school_a, "FD3", "3")  # other duties do not count
    assert services.law_education_hours(appointment, year) == Decimal(2)
    assert list(Appointment.objects.below_minimum()) == [appointment]
    add(vp_user, appointment, school_a, "FD1", "2")
    assert services.law_education_hours(appointment, year) == Decimal(4)
    assert not Appointment.objects.below_minimum().exists()


@pytest.fixture(params=["2026-03-15", "2026-12-02", "2027-01-01"])
def frozen_today(request: pytest.FixtureRequest) -> Iterator[date]:
    """Any day of the year: this test used to fail from 2 to 31 December."""
    with time_machine.travel(datetime.fromisoformat(f"{request.param}T10:00+08:00"), tick=False):
        yield timezone.localdate()


def test_last_years_hours_do_not_count(frozen_today, vp_user, appointment, school_a) -> None:
    today = frozen_today
    # The last day of last year: within the term, which began a year before today.
    add(vp_user, appointment, school_a, "FD1", "8", when=date(today.year - 1, 12, 31))
    assert services.law_education_hours(appointment, today.year) == 0
    assert services.law_education_hours(appointment, today.year - 1) == 8
    assert appointment in Appointment.objects.below_minimum()


def test_ended_appointments_are_not_below_minimum(bureau, appointment) -> None:
    services.appointment_end(actor=bureau, appointment=appointment)
    assert not Appointment.objects.below_minimum().exists()


def test_counts_toward_minimum_flag(vp_user, appointment, school_a) -> None:
    assert add(vp_user, appointment, school_a, "FD1").counts_toward_minimum
    assert not add(vp_user, appointment, school_a, "FD2").counts_toward_minimum


@pytest.mark.parametrize(
    ("hours", "kind", "when_delta", "field"),
    [
        ("0", "FD1", 0, "hours"),
        ("8.5", "FD1", 0, "hours"),
        ("-1", "FD1", 0, "hours"),
        ("2", "FD9", 0, "kind"),
        ("2", "FD1", -1, "date"),  # tomorrow
        ("2", "FD1", 400, "date"),  # before the term
    ],
)
def test_bad_input_names_the_field(vp_user, appointment, school_a, hours, kind, when_delta, field):
    when = timezone.localdate() - timedelta(days=when_delta)
    with pytest.raises(ValidationError) as caught:
        add(vp_user, appointment, school_a, kind, hours, when=when)
    assert field in caught.value.message_dict
    assert not DutyRecord.objects.exists()


def test_school_must_be_one_of_the_appointments(vp_user, appointment, school_b) -> None:
    with pytest.raises(ValidationError) as caught:
        add(vp_user, appointment, school_b)
    assert "one of the schools" in caught.value.message_dict["school"][0]
    assert not DutyRecord.objects.exists()


def test_update_and_delete(vp_user, appointment, school_a) -> None:
    duty = add(vp_user, appointment, school_a, "FD1", "2")
    services.duty_record_update(actor=vp_user, duty=duty, data={"hours": Decimal("3.5")})
    duty.refresh_from_db()
    assert duty.hours == Decimal("3.5")
    with pytest.raises(ValidationError):
        services.duty_record_update(actor=vp_user, duty=duty, data={"hours": Decimal(9)})
    assert duty.hours == Decimal("3.5")  # the refused value is not kept
    services.duty_record_delete(actor=vp_user, duty=duty)
    assert not DutyRecord.objects.exists()
