"""session_create / session_update / session_delete: checks, audit, who may record where."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.education import services
from weibao.education.models import Session


def test_create_held_session(bureau, session_data, topics, county) -> None:
    session = services.session_create(actor=bureau, data=session_data())
    assert session.pk and session.status == Session.Status.HELD
    assert set(session.topics.all()) == set(topics[:2])
    assert session.organiser == county.education
    assert session.duty_record is None
    event = AuditEvent.objects.get(target_type="education.session", action="create")
    assert event.detail["changes"]["attendance"] == [None, "120"]
    assert "topics" in event.detail["changes"]


def test_school_records_its_own(liaison_a, session_data) -> None:
    session = services.session_create(actor=liaison_a, data=session_data())
    assert session.organiser_id == liaison_a.organisation_id


def test_school_may_not_record_at_another(liaison_b, session_data) -> None:
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=liaison_b, data=session_data())
    assert exc.value.message_dict["school"] == ["You may record sessions only at your own school."]
    assert not Session.objects.exists()


def test_read_only_may_not_record(outsider, session_data) -> None:
    with pytest.raises(PermissionDenied):
        services.session_create(actor=outsider, data=session_data())


def test_outside_schools_in_a_village(township_worker, session_data, county) -> None:
    session = services.session_create(
        actor=township_worker,
        data=session_data(school=None, division=county.village_a, audience="parents"),
    )
    assert session.place_name == county.village_a.name


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"school": None}, "school",
         "Choose the school or, for a session outside schools, the village or community."),
        ({"topics": []}, "topics", "Choose at least one topic."),
        ({"date": timezone.localdate() + timedelta(days=1)}, "date",
         "A session that was held cannot be in the future."),
        ({"attendance": 0}, "attendance", "A session that was held had someone attending."),
        ({"hours": 0}, "hours", "Class hours must be more than 0 and at most 8."),
        ({"hours": 9}, "hours", "Class hours must be more than 0 and at most 8."),
        ({"speaker_name": ""}, "speaker_name", "Give the speaker's name."),
        ({"speaker_kind": "legal_vp"}, "appointment", "Choose the legal vice-principal."),
        ({"notice_sent": True}, "notice_sent",
         "Only sessions for parents record the notice sent home."),
        ({"audience": "parents", "receipts_returned": 30}, "receipts_returned",
         "Receipts can be counted only when the notice was sent home."),
    ],
)  # fmt: skip
def test_bad_input(bureau, session_data, changes, field, message) -> None:
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=bureau, data=session_data(**changes))
    assert message in exc.value.message_dict[field]
    assert not Session.objects.exists()
    assert not AuditEvent.objects.filter(target_type="education.session").exists()


def test_both_places(bureau, session_data, county) -> None:
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=bureau, data=session_data(division=county.village_a))
    assert exc.value.message_dict["division"] == ["Choose a school or a village, not both."]


def test_planned_in_future_and_notice_for_parents(bureau, session_data) -> None:
    session = services.session_create(
        actor=bureau,
        data=session_data(
            status="planned",
            date=timezone.localdate() + timedelta(days=10),
            attendance=0,
            audience="parents",
            notice_sent=True,
            receipts_returned=0,
        ),
    )
    assert session.status == Session.Status.PLANNED and not session.is_overdue


def test_closed_school(bureau, session_data, school_a) -> None:
    school_a.closed_on = timezone.localdate() - timedelta(days=10)
    school_a.save()
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=bureau, data=session_data())
    assert exc.value.message_dict["date"] == [f"The school closed on {school_a.closed_on}."]


def test_update_and_bad_update_leaves_data(bureau, make_session) -> None:
    session = make_session(status="planned", attendance=0)
    services.session_update(
        actor=bureau, session=session, data={"status": "held", "attendance": 90}
    )
    session.refresh_from_db()
    assert session.status == "held" and session.attendance == 90
    with pytest.raises(ValidationError) as exc:
        services.session_update(actor=bureau, session=session, data={"attendance": 0})
    assert "attendance" in exc.value.message_dict
    session.refresh_from_db()
    assert session.attendance == 90
    assert AuditEvent.objects.filter(target_type="education.session", action="update").count() == 1


def test_other_school_may_not_change(liaison_b, make_session) -> None:
    session = make_session()
    with pytest.raises(PermissionDenied):
        services.session_update(actor=liaison_b, session=session, data={"attendance": 1})
    with pytest.raises(PermissionDenied):
        services.session_delete(actor=liaison_b, session=session)


def test_delete(liaison_a, make_session) -> None:
    session = make_session()
    services.session_delete(actor=liaison_a, session=session)
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(target_type="education.session", action="delete").exists()


def test_cases_must_be_published(bureau, session_data, make_case) -> None:
    proposed = make_case(publish=False)
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=bureau, data=session_data(cases=[proposed]))
    assert exc.value.message_dict["cases"] == ["Only published cases from the library can be used."]
    published = make_case(title="另一个案例")
    session = services.session_create(actor=bureau, data=session_data(cases=[published]))
    assert list(session.cases.all()) == [published]


def test_overdue(make_session) -> None:
    late = make_session(status="planned", attendance=0, date=timezone.localdate() - timedelta(1))
    make_session(status="planned", attendance=0, date=timezone.localdate())
    make_session()
    assert list(Session.objects.overdue()) == [late]
    assert late.is_overdue
