"""Appointing children's supervisors and directors: one current per post, history kept."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from weibao.accounts.models import Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.care import services
from weibao.care.models import CareAppointment, posts_of
from weibao.core.models import Notification
from weibao.testing import County, make_user

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def director_data(county: County, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "role": CareAppointment.Role.DIRECTOR,
        "division": county.village_a,
        "person_name": "李  主任",
        "phone": "13900000000",
        "starts_on": date(2026, 3, 1),
    }
    data.update(extra)
    return data


def test_appointing_a_director(county: County, civil: User) -> None:
    made = services.appointment_make(actor=civil, data=director_data(county))
    assert made.is_current and made.person_name == "李 主任" and made.appointed_by == civil
    assert made.holder_name == "李 主任"
    event = AuditEvent.objects.get(target_id=str(made.pk), action=AuditEvent.Action.CREATE)
    assert event.detail["operation"] == "care_appointment_make"


def test_a_new_appointment_ends_the_current_one_and_keeps_it(
    county: County, civil: User, village_committee: Organisation
) -> None:
    first = services.appointment_make(actor=civil, data=director_data(county))
    user = make_user("new_director", village_committee, Role.CASE_WORKER)
    second = services.appointment_make(
        actor=civil,
        data=director_data(county, person_name="", user=user, starts_on=TODAY),
    )
    first.refresh_from_db()
    assert first.ends_on == TODAY and first.person_name == "李 主任"
    assert second.is_current and second.user == user
    history = CareAppointment.objects.filter(
        role=CareAppointment.Role.DIRECTOR, division=county.village_a
    )
    assert list(history) == [second, first]
    assert list(CareAppointment.objects.current().filter(division=county.village_a)) == [second]
    assert posts_of(user) == [(CareAppointment.Role.DIRECTOR, county.village_a.prefix)]
    note = Notification.objects.get(recipient=user)
    assert note.kind == "care_appointment"
    assert AuditEvent.objects.filter(
        target_id=str(first.pk), action=AuditEvent.Action.UPDATE
    ).exists()


def test_another_village_or_role_is_another_post(county: County, civil: User) -> None:
    a = services.appointment_make(actor=civil, data=director_data(county))
    services.appointment_make(actor=civil, data=director_data(county, division=county.village_b))
    services.appointment_make(
        actor=civil,
        data=director_data(
            county, role=CareAppointment.Role.SUPERVISOR, division=county.township_a
        ),
    )
    a.refresh_from_db()
    assert a.is_current
    assert CareAppointment.objects.current().count() == 3


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"role": ""}, "role", "required"),
        ({"division": None}, "division", "required"),
        ({"person_name": ""}, "person_name", "required"),
        ({"starts_on": date(2026, 9, 16)}, "starts_on", "future"),
        ({"role": CareAppointment.Role.SUPERVISOR}, "division", "level"),
    ],
)
def test_bad_appointments_are_refused(
    county: County, civil: User, extra: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.appointment_make(actor=civil, data=director_data(county, **extra))
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert not CareAppointment.objects.exists()


def test_a_director_does_not_serve_a_township(county: County, civil: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.appointment_make(
            actor=civil, data=director_data(county, division=county.township_a)
        )
    assert "village" in str(caught.value.error_dict["division"][0].message)


def test_an_account_without_data_cannot_hold_the_post(
    county: County, civil: User, auditor: User
) -> None:
    auditor_data = director_data(county, person_name="", user=auditor)
    with pytest.raises(ValidationError) as caught:
        services.appointment_make(actor=civil, data=auditor_data)
    assert "user" in caught.value.error_dict


def test_a_successor_cannot_start_before_the_current_one(county: County, civil: User) -> None:
    services.appointment_make(actor=civil, data=director_data(county))
    with pytest.raises(ValidationError) as caught:
        services.appointment_make(
            actor=civil, data=director_data(county, starts_on=date(2026, 2, 1))
        )
    assert caught.value.error_dict["starts_on"][0].code == "before_current"
    assert CareAppointment.objects.count() == 1 and CareAppointment.objects.current().count() == 1


def test_ending_an_appointment(county: County, civil: User) -> None:
    made = services.appointment_make(actor=civil, data=director_data(county))
    services.appointment_end(actor=civil, appointment=made)
    made.refresh_from_db()
    assert made.ends_on == TODAY
    with pytest.raises(ValidationError):
        services.appointment_end(actor=civil, appointment=made)


def test_an_appointment_does_not_end_before_it_began(county: County, civil: User) -> None:
    made = services.appointment_make(actor=civil, data=director_data(county))
    with pytest.raises(ValidationError) as caught:
        services.appointment_end(actor=civil, appointment=made, on=date(2026, 2, 1))
    assert caught.value.error_dict["ends_on"][0].code == "order"
    made.refresh_from_db()
    assert made.is_current


def test_the_posts_read_before_are_read_again(
    county: County, civil: User, village_committee: Organisation
) -> None:
    user = make_user("soon_director", village_committee, Role.CASE_WORKER)
    assert posts_of(user) == []
    made = services.appointment_make(
        actor=civil, data=director_data(county, person_name="", user=user)
    )
    assert posts_of(user) == [(CareAppointment.Role.DIRECTOR, county.village_a.prefix)]
    services.appointment_end(actor=civil, appointment=made)
    assert posts_of(made.user) == []  # type: ignore[arg-type]
