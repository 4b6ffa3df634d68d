"""Every user-triggered legalvp service checks its actor itself: called directly (as a task, an
import or a command would) by the wrong user it raises PermissionDenied and writes nothing.
`appointments_end_expired` is the scheduler's (no actor) and is not here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.legalvp import services
from weibao.legalvp.models import Appointment, AppointmentSchool, DutyRecord, Evaluation
from weibao.legalvp.tests.conftest import BIRTH_VP
from weibao.people.models import Person
from weibao.testing import id_for

MODELS: tuple[type[Model], ...] = (
    Appointment,
    AppointmentSchool,
    DutyRecord,
    Evaluation,
    Person,
    AuditEvent,
)


def _state() -> dict[str, list[dict[str, Any]]]:
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def world(make_appointment, school_a, school_b, vp_user, county) -> dict[str, Any]:
    """An appointment serving schools A and B, with one duty record at school A."""
    appointment = make_appointment([school_a, school_b], appointee_user=vp_user)
    duty = services.duty_record_add(
        actor=vp_user,
        appointment=appointment,
        data={
            "school": school_a,
            "kind": "FD1",
            "hours": Decimal(1),
            "date": appointment.term_start,
        },
    )
    return {"appointment": appointment, "duty": duty, "a": school_a, "b": school_b, "c": county}


def _duty_data(w: dict[str, Any], school_key: str = "a") -> dict[str, Any]:
    return {
        "school": w[school_key],
        "kind": "FD2",
        "hours": Decimal(2),
        "date": w["appointment"].term_start,
    }


Call = Callable[[Any, dict[str, Any]], Any]

CALLS: dict[str, Call] = {
    "appointment_create": lambda actor, w: services.appointment_create(
        actor=actor,
        data={
            "name": "李明",
            "id_number": id_for(BIRTH_VP, 7),
            "sending_unit": w["c"].police_a,
            "schools": [w["b"]],
            "term_start": date(2025, 9, 1),
        },
    ),
    "appointment_renew": lambda actor, w: services.appointment_renew(
        actor=actor, appointment=w["appointment"]
    ),
    "appointment_end": lambda actor, w: services.appointment_end(
        actor=actor, appointment=w["appointment"], ended_on=timezone.localdate()
    ),
    "duty_record_add": lambda actor, w: services.duty_record_add(
        actor=actor, appointment=w["appointment"], data=_duty_data(w)
    ),
    "duty_record_update": lambda actor, w: services.duty_record_update(
        actor=actor, duty=w["duty"], data={"hours": Decimal(3)}
    ),
    "duty_record_delete": lambda actor, w: services.duty_record_delete(actor=actor, duty=w["duty"]),
    "session_duty_add": lambda actor, w: services.session_duty_add(
        actor=actor, appointment=w["appointment"], data=_duty_data(w)
    ),
    "session_duty_update": lambda actor, w: services.session_duty_update(
        actor=actor, duty=w["duty"], data={"hours": Decimal(3)}
    ),
    "session_duty_delete": lambda actor, w: services.session_duty_delete(
        actor=actor, duty=w["duty"]
    ),
    "evaluation_set": lambda actor, w: services.evaluation_set(
        actor=actor,
        appointment=w["appointment"],
        school=w["a"],
        year=w["appointment"].term_start.year,
        grade="excellent",
    ),
    "letter_download": lambda actor, w: services.letter_download(
        actor=actor, appointment=w["appointment"]
    ),
    "summary_export": lambda actor, w: services.summary_export(
        actor=actor, year=2026, purpose="年度统计报送"
    ),
}

# Who the rule excludes: school staff and sending bodies where only the bureau and county
# coordinators act; the other school (school B for school A's records); read-only outsiders.
WRONG: list[tuple[str, str]] = [
    ("appointment_create", "liaison_a"),
    ("appointment_create", "prosecutor"),
    ("appointment_renew", "liaison_a"),
    ("appointment_renew", "vp_user"),
    ("appointment_end", "liaison_a"),
    ("appointment_end", "prosecutor"),
    ("duty_record_add", "liaison_a"),
    ("duty_record_add", "prosecutor"),
    ("duty_record_update", "liaison_a"),
    ("duty_record_update", "outsider"),
    ("duty_record_delete", "liaison_b"),
    ("duty_record_delete", "prosecutor"),
    ("session_duty_add", "liaison_b"),
    ("session_duty_add", "prosecutor"),
    ("session_duty_update", "liaison_b"),
    ("session_duty_delete", "liaison_b"),
    ("session_duty_delete", "outsider"),
    ("evaluation_set", "liaison_b"),  # school B may not evaluate for school A
    ("evaluation_set", "prosecutor"),
    ("letter_download", "outsider"),
    ("letter_download", "police"),
    ("summary_export", "liaison_a"),
    ("summary_export", "prosecutor"),
]


def test_every_service_is_covered() -> None:
    assert {name for name, _user in WRONG} == set(CALLS)


@pytest.mark.parametrize(("service", "user"), WRONG)
def test_wrong_actor_is_refused(request, world, service: str, user: str) -> None:
    actor = request.getfixturevalue(user)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[service](actor, world)
    assert _state() == before
