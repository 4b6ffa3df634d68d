"""A session by a legal vice-principal counts toward their duty hours once, and follows edits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.education import services
from weibao.education.models import Session
from weibao.legalvp.models import DutyRecord
from weibao.legalvp.services import law_education_hours

pytestmark = pytest.mark.usefixtures("midyear")

YEAR = 2026  # the midyear fixture's


def _hours(appointment) -> Decimal:
    return law_education_hours(appointment, YEAR)


@pytest.fixture
def vp_data(session_data, appointment):
    def make(**changes):
        values = {
            "speaker_kind": "legal_vp",
            "appointment": appointment,
            "speaker_name": "",
            "date": timezone.localdate(),
            "hours": Decimal("1.5"),
        }
        values.update(changes)
        return session_data(**values)

    return make


def test_held_session_adds_its_hours_once(bureau, appointment, vp_data) -> None:
    assert _hours(appointment) == 0
    session = services.session_create(actor=bureau, data=vp_data())
    assert _hours(appointment) == Decimal("1.5")
    duty = session.duty_record
    assert duty is not None and duty.kind == DutyRecord.Kind.LAW_EDUCATION
    assert duty.notes == f"law-education session #{session.pk}"
    assert duty.school_id == session.school_id and duty.date == session.date
    assert session.speaker_name == "王正义"
    assert session.speaker_unit == appointment.sending_unit
    # Saving again without changes does not add a second record.
    services.session_update(actor=bureau, session=session, data={"notes": "再次保存"})
    assert DutyRecord.objects.count() == 1
    assert _hours(appointment) == Decimal("1.5")


def test_edit_updates_the_hours(bureau, appointment, vp_data) -> None:
    session = services.session_create(actor=bureau, data=vp_data())
    services.session_update(actor=bureau, session=session, data={"hours": Decimal(2)})
    assert _hours(appointment) == Decimal(2)
    assert DutyRecord.objects.get().hours == Decimal(2)


def test_delete_removes_the_hours(bureau, appointment, vp_data) -> None:
    session = services.session_create(actor=bureau, data=vp_data())
    services.session_delete(actor=bureau, session=session)
    assert _hours(appointment) == 0
    assert not DutyRecord.objects.exists()


def test_cancel_and_planned_count_nothing(bureau, appointment, vp_data) -> None:
    planned = services.session_create(actor=bureau, data=vp_data(status="planned", attendance=0))
    assert planned.duty_record is None and _hours(appointment) == 0
    services.session_update(
        actor=bureau, session=planned, data={"status": "held", "attendance": 50}
    )
    assert _hours(appointment) == Decimal("1.5")
    services.session_update(actor=bureau, session=planned, data={"status": "cancelled"})
    planned.refresh_from_db()
    assert planned.duty_record is None and _hours(appointment) == 0


def test_changing_speaker_removes_the_duty(bureau, appointment, vp_data) -> None:
    session = services.session_create(actor=bureau, data=vp_data())
    services.session_update(
        actor=bureau,
        session=session,
        data={"speaker_kind": Session.SpeakerKind.TEACHER, "speaker_name": "李老师"},
    )
    session.refresh_from_db()
    assert session.appointment is None and session.duty_record is None
    assert _hours(appointment) == 0


def test_vp_of_another_school_refused(bureau, appointment, vp_data, school_b) -> None:
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=bureau, data=vp_data(school=school_b))
    assert exc.value.message_dict["appointment"] == [
        "王正义 is not the legal vice-principal of 公溪镇中学."
    ]
    assert not Session.objects.exists() and not DutyRecord.objects.exists()


def test_duty_errors_roll_the_session_back(bureau, appointment, vp_data) -> None:
    """A date before the appointment's term: the duty record is refused, so is the session."""
    before = appointment.term_start - timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=bureau, data=vp_data(date=before))
    assert "date" in exc.value.message_dict
    assert not Session.objects.exists() and not DutyRecord.objects.exists()


def test_legal_vp_pages_send_a_session_duty_back_to_its_session(
    bureau, appointment, vp_data, client_for
) -> None:
    """The duty a session entered can't be edited or deleted on the legal vice-principal pages:
    that would put the two out of step."""
    session = services.session_create(actor=bureau, data=vp_data())
    duty = session.duty_record
    assert duty is not None
    client = client_for(bureau)
    response = client.post(f"/legal-vp/duties/{duty.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    response = client.get(f"/legal-vp/duties/{duty.pk}/")
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert DutyRecord.objects.filter(pk=duty.pk).exists()
