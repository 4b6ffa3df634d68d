"""appointment_create: the person, two schools at most, the default term, serial numbers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.legalvp import services
from weibao.legalvp.models import Appointment, default_term_end
from weibao.people.models import Person
from weibao.testing import id_for


def test_creates_person_schools_and_serial(appointment, school_a, county) -> None:
    assert appointment.person.name == "王正义"
    assert appointment.person.registered_by == county.education
    assert list(appointment.schools.all()) == [school_a]
    assert appointment.sending_kind == Appointment.SendingKind.PROCURATORATE
    assert appointment.status == Appointment.Status.ACTIVE
    year = appointment.issued_on.year
    assert appointment.serial_number == f"乐教法聘〔{year}〕第1号"
    event = AuditEvent.objects.get(
        action="create", target_type="legalvp.appointment", target_id=str(appointment.pk)
    )
    assert event.detail["changes"]["serial_number"][1] == appointment.serial_number


def test_term_defaults_to_three_years_less_a_day(make_appointment, school_a) -> None:
    appointment = make_appointment([school_a], term_start=date(2026, 9, 1))
    assert appointment.term_end == date(2029, 8, 31)
    assert default_term_end(date(2028, 2, 29)) == date(2031, 2, 28)


def test_explicit_term_end_is_kept(make_appointment, school_a) -> None:
    appointment = make_appointment(
        [school_a], term_start=date(2026, 9, 1), term_end=date(2027, 8, 31)
    )
    assert appointment.term_end == date(2027, 8, 31)


def test_same_id_number_reuses_the_person(make_appointment, school_a, school_b) -> None:
    first = make_appointment([school_a], seq=5)
    second = make_appointment([school_b], seq=5)
    assert first.person_id == second.person_id
    assert Person.objects.count() == 1


def test_serial_numbers_are_sequential_and_unique_per_year(
    make_appointment, school_a, school_b, make_school
) -> None:
    made = [
        make_appointment([school_a], seq=1),
        make_appointment([school_b], seq=2),
        make_appointment([make_school("三小")], seq=3),
        make_appointment([make_school("四小")], seq=4, issued_on=date(2025, 3, 1)),
    ]
    this_year = made[0].issued_on.year
    assert [a.serial_no for a in made[:3]] == [1, 2, 3]
    assert {a.serial_year for a in made[:3]} == {this_year}
    assert (made[3].serial_year, made[3].serial_no) == (2025, 1)
    assert len({a.serial_number for a in made}) == 4


def test_third_school_is_refused(make_appointment, school_a, school_b, make_school) -> None:
    make_appointment([school_a, school_b], seq=7)
    with pytest.raises(ValidationError) as caught:
        make_appointment([make_school("第三小学")], seq=7)
    assert "at most 2 schools" in caught.value.message_dict["schools"][0]
    assert Appointment.objects.count() == 1


def test_three_schools_at_once_are_refused(make_appointment, school_a, school_b, make_school):
    with pytest.raises(ValidationError) as caught:
        make_appointment([school_a, school_b, make_school("第三小学")], seq=7)
    assert "schools" in caught.value.message_dict
    assert not Appointment.objects.exists()
    assert not Person.objects.exists()  # the new person is rolled back with it


def test_ended_appointments_do_not_count(
    bureau, make_appointment, school_a, school_b, make_school
) -> None:
    old = make_appointment([school_a, school_b], seq=7)
    services.appointment_end(actor=bureau, appointment=old)
    again = make_appointment([make_school("第三小学")], seq=7)
    assert again.person_id == old.person_id


def test_a_school_may_have_several(make_appointment, school_a) -> None:
    make_appointment([school_a], seq=1)
    make_appointment([school_a], seq=2, name="李法官")
    assert school_a.legalvp_appointments.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id_number": "123"}, "id_number"),
        ({"id_number": id_for(date(2015, 1, 1), 9)}, "id_number"),
        ({"name": ""}, "name"),
        ({"schools": []}, "schools"),
        ({"term_start": None}, "term_start"),
        ({"term_start": date(2026, 9, 1), "term_end": date(2026, 8, 1)}, "term_end"),
        ({"sending_unit": None}, "sending_unit"),
        ({"phone": "12345"}, "phone"),
    ],
)
def test_bad_input_names_the_field(make_appointment, school_a, data, field) -> None:
    data.setdefault("schools", [school_a])
    schools = data.pop("schools")
    with pytest.raises(ValidationError) as caught:
        make_appointment(schools, **data)
    assert field in caught.value.message_dict
    assert not Appointment.objects.exists()


def test_closed_school_is_refused(make_appointment, make_school) -> None:
    closed = make_school("已撤并小学", closed_on=date(2024, 7, 1))
    with pytest.raises(ValidationError) as caught:
        make_appointment([closed])
    assert "closed" in caught.value.message_dict["schools"][0]
