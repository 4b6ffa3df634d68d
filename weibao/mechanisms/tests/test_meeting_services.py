"""The meetings services: units asked, attendance, minutes, decisions and their numbering, the
cases a consultation discussed, and bad input that changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.models import Role, User
from weibao.atrisk import services as atrisk_services
from weibao.atrisk.models import AtRiskFile
from weibao.atrisk.tests.conftest import make_person, years_ago
from weibao.audit.models import AuditEvent
from weibao.casework import services as casework_services
from weibao.casework.models import Case
from weibao.casework.tests.conftest import report_data
from weibao.core.models import Attachment, Notification
from weibao.mechanisms.models import Attendance, Decision, LeadingGroup, Meeting, Task
from weibao.mechanisms.services import meetings as services
from weibao.testing import County, make_user

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def meeting(actor: User, county: County, **data: Any) -> Meeting:
    values: dict[str, Any] = {
        "kind": Meeting.Kind.JOINT,
        "title": "第三季度联席会议",
        "held_on": date(2026, 9, 10),
        "place": "县检察院三楼会议室",
        "agenda": "一、通报工作",
        "units": [county.procuratorate, county.education, county.school_a],
    }
    values.update(data)
    return services.meeting_create(actor=actor, data=values)


def school_a_case(county: County, liaison_a: User) -> Case:
    case, _created = casework_services.report_file(actor=liaison_a, data=report_data(county))
    return case


def school_a_file(county: County, liaison_a: User) -> AtRiskFile:
    pupil = make_person(
        "王小明",
        county.school_a,
        birth_date=years_ago(13, 40),
        seq=41,
        school=county.school_a,
        division=county.village_a,
    )
    return atrisk_services.file_open(actor=liaison_a, person=pupil)


def test_create_asks_the_units_and_tells_them(county: County, lead: User) -> None:
    edu_staff = make_user("edu_staff", county.education, Role.CASE_WORKER)
    m = meeting(lead, county)
    assert m.convener == county.procuratorate  # the actor's unit by default
    assert m.created_by == lead
    asked = set(m.attendances.values_list("unit_id", flat=True))
    assert asked == {county.procuratorate.pk, county.education.pk, county.school_a.pk}
    assert all(a.present for a in m.attendances.all())
    assert Notification.objects.filter(recipient=edu_staff, link=m.get_absolute_url()).exists()
    assert AuditEvent.objects.filter(detail__operation="meeting_create").exists()


def test_create_refuses_bad_input_and_changes_nothing(county: County, lead: User) -> None:
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            actor=lead, data={"kind": "party", "title": " ", "held_on": "soon", "units": []}
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"kind", "title", "held_on", "units"}
    assert "Give the meeting's title." in errors["title"]
    assert Meeting.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_update_changes_the_units_asked(county: County, lead: User) -> None:
    m = meeting(lead, county)
    services.meeting_update(
        actor=lead,
        meeting=m,
        data={"title": "全体成员单位联席会议", "units": [county.education, county.school_b]},
    )
    m.refresh_from_db()
    assert m.title == "全体成员单位联席会议"
    assert set(m.attendances.values_list("unit_id", flat=True)) == {
        county.education.pk,
        county.school_b.pk,
    }


def test_attendance_sets_person_present_and_note(county: County, lead: User) -> None:
    m = meeting(lead, county)
    edu = make_user("edu_head", county.education, Role.UNIT_ADMIN)
    services.attendance_set(
        actor=lead,
        meeting=m,
        rows=[
            {"unit": county.education, "person": edu, "present": True, "note": ""},
            {"unit": county.school_a, "person": None, "present": False, "note": "因公请假"},
        ],
    )
    by_unit = {a.unit_id: a for a in m.attendances.all()}
    assert by_unit[county.education.pk].person == edu
    assert not by_unit[county.school_a.pk].present
    assert by_unit[county.school_a.pk].note == "因公请假"


def test_attendance_refuses_a_person_of_another_unit(
    county: County, lead: User, liaison_b: User
) -> None:
    m = meeting(lead, county)
    with pytest.raises(ValidationError) as caught:
        services.attendance_set(
            actor=lead,
            meeting=m,
            rows=[
                {"unit": county.education, "present": False, "note": "x"},
                {"unit": county.school_a, "person": liaison_b, "present": True, "note": ""},
            ],
        )
    key = f"person_{county.school_a.pk}"
    assert caught.value.message_dict[key] == [f"Choose a person of {county.school_a.name}."]
    assert all(a.present and a.person is None for a in m.attendances.all())  # nothing changed


def test_attendance_refuses_a_unit_not_asked(county: County, lead: User) -> None:
    m = meeting(lead, county)
    with pytest.raises(ValidationError) as caught:
        services.attendance_set(
            actor=lead, meeting=m, rows=[{"unit": county.hotel, "present": True}]
        )
    assert "unit" in caught.value.message_dict


def test_minutes_are_required(county: County, lead: User) -> None:
    m = meeting(lead, county)
    with pytest.raises(ValidationError) as caught:
        services.minutes_record(actor=lead, meeting=m, minutes="   ")
    assert caught.value.message_dict == {"minutes": ["Write the minutes."]}
    services.minutes_record(actor=lead, meeting=m, minutes="会议纪要正文")
    m.refresh_from_db()
    assert m.minutes == "会议纪要正文"


def test_decisions_are_numbered_per_meeting(county: County, lead: User) -> None:
    first, second = meeting(lead, county), meeting(lead, county, title="防溺水专题会议")
    a = services.decision_add(actor=lead, meeting=first, text="议定事项一")
    b = services.decision_add(actor=lead, meeting=first, text="议定事项二")
    c = services.decision_add(actor=lead, meeting=second, text="另一会议的事项")
    assert (a.number, b.number, c.number) == (1, 2, 1)


def test_removing_a_decision_moves_the_later_ones_up(county: County, lead: User) -> None:
    m = meeting(lead, county)
    one, two, three = (
        services.decision_add(actor=lead, meeting=m, text=f"事项{n}") for n in "一二三"
    )
    services.decision_remove(actor=lead, decision=two)
    assert list(m.decisions.values_list("text", "number")) == [("事项一", 1), ("事项三", 2)]
    assert services.decision_add(actor=lead, meeting=m, text="事项四").number == 3
    assert one.pk and three.pk


def test_removing_a_decision_with_tasks_is_refused(county: County, lead: User) -> None:
    m = meeting(lead, county)
    decision = services.decision_add(actor=lead, meeting=m, text="教育局牵头制定计划")
    Task.objects.create(
        decision=decision,
        title="制定计划",
        owner=county.education,
        deadline=date(2026, 10, 31),
    )
    with pytest.raises(ValidationError) as caught:
        services.decision_remove(actor=lead, decision=decision)
    assert "decision" in caught.value.message_dict
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_decision_text_is_required(county: County, lead: User) -> None:
    m = meeting(lead, county)
    with pytest.raises(ValidationError) as caught:
        services.decision_add(actor=lead, meeting=m, text=" ")
    assert caught.value.message_dict == {"text": ["Say what was decided."]}
    assert not m.decisions.exists()
    decision = services.decision_add(actor=lead, meeting=m, text="原文")
    services.decision_update(actor=lead, decision=decision, text="改正后的文字")
    decision.refresh_from_db()
    assert decision.text == "改正后的文字"


def test_cases_only_on_a_consultation(county: County, lead: User) -> None:
    m = meeting(lead, county)
    with pytest.raises(ValidationError) as caught:
        services.meeting_cases_set(actor=lead, meeting=m, cases=[], files=[])
    assert "cases" in caught.value.message_dict


def school_b_file(county: County, liaison_b: User) -> AtRiskFile:
    pupil = make_person(
        "赵小红",
        county.school_b,
        birth_date=years_ago(15, 10),
        seq=42,
        sex="F",
        school=county.school_b,
        division=county.village_b,
    )
    return atrisk_services.file_open(actor=liaison_b, person=pupil)


def test_cases_the_actor_cannot_see_are_refused(
    county: County,
    group: LeadingGroup,
    coordinator: User,
    liaison_a: User,
    liaison_b: User,
    township_worker: User,
) -> None:
    """A lead agency that cannot see a case (here the township government of A leads the group)
    may not link it; clearing the list keeps the links set by someone who could see them."""
    case = school_a_case(county, liaison_a)
    file = school_b_file(county, liaison_b)
    m = meeting(coordinator, county, kind=Meeting.Kind.CONSULTATION)
    services.meeting_cases_set(actor=coordinator, meeting=m, cases=[case], files=[file])
    group.lead_unit = county.township_gov_a
    group.save()
    actor = User.objects.get(pk=township_worker.pk)
    assert actor.has_perm("mechanisms.manage_meetings")
    assert not Case.objects.for_user(actor).filter(pk=case.pk).exists()
    other = school_a_case(county, liaison_a)
    with pytest.raises(ValidationError) as caught:
        services.meeting_cases_set(actor=actor, meeting=m, cases=[other], files=[file])
    assert caught.value.message_dict == {
        "cases": ["You may link only cases you can see."],
        "files": ["You may link only at-risk files you can see."],
    }
    assert list(m.cases.all()) == [case]
    services.meeting_cases_set(actor=actor, meeting=m, cases=[], files=[])
    assert list(m.cases.all()) == [case]
    assert list(m.files.all()) == [file]


def test_a_unit_that_keeps_no_meetings_may_not_link_cases(
    county: County, coordinator: User, liaison_a: User
) -> None:
    case = school_a_case(county, liaison_a)
    m = meeting(coordinator, county, kind=Meeting.Kind.CONSULTATION)
    with pytest.raises(PermissionDenied):
        services.meeting_cases_set(actor=liaison_a, meeting=m, cases=[case], files=[])
    assert not m.cases.exists()


def test_a_consultation_with_cases_keeps_its_kind(
    county: County, coordinator: User, liaison_a: User
) -> None:
    case = school_a_case(county, liaison_a)
    m = meeting(coordinator, county, kind=Meeting.Kind.CONSULTATION)
    services.meeting_cases_set(actor=coordinator, meeting=m, cases=[case], files=[])
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(actor=coordinator, meeting=m, data={"kind": Meeting.Kind.JOINT})
    assert "kind" in caught.value.message_dict


def test_a_file_is_attached_to_the_meeting(county: County, lead: User) -> None:
    m = meeting(lead, county)
    upload = SimpleUploadedFile("签到表.pdf", PDF)
    attachment = services.meeting_attach(actor=lead, meeting=m, upload=upload)
    assert list(Attachment.objects.for_owner(m)) == [attachment]


def test_minutes_document_is_audited(county: County, lead: User) -> None:
    m = meeting(lead, county, held_on=date(2026, 9, 10) - timedelta(days=1))
    content = services.minutes_document(actor=lead, meeting=m)
    assert content[:2] == b"PK"
    assert AuditEvent.objects.filter(detail__operation="minutes_document").exists()
