"""The meetings pages: who sees which meeting, the forms (bad input refused, nothing changed),
the cases a consultation discussed shown only to those who may see them, and not-allowed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weibao.accounts.models import User
from weibao.casework import services as casework_services
from weibao.casework.models import Case
from weibao.casework.tests.conftest import report_data
from weibao.core.models import Attachment
from weibao.mechanisms.models import Meeting
from weibao.mechanisms.services import meetings as services
from weibao.testing import County

ClientFor = Callable[[User], Client]


@pytest.fixture
def joint(county: County, lead: User) -> Meeting:
    return services.meeting_create(
        actor=lead,
        data={
            "kind": Meeting.Kind.JOINT,
            "title": "第三季度联席会议",
            "held_on": date(2026, 9, 10),
            "units": [county.procuratorate, county.education, county.school_a],
        },
    )


@pytest.fixture
def consultation(county: County, lead: User) -> Meeting:
    return services.meeting_create(
        actor=lead,
        data={
            "kind": Meeting.Kind.CONSULTATION,
            "title": "个案会商",
            "held_on": date(2026, 9, 12),
            "units": [county.procuratorate, county.school_a, county.school_b],
        },
    )


def school_a_case(county: County, liaison_a: User) -> Case:
    case, _created = casework_services.report_file(actor=liaison_a, data=report_data(county))
    return case


def test_lead_and_coordinator_see_every_meeting(
    client_for: ClientFor, joint: Meeting, consultation: Meeting, lead: User, coordinator: User
) -> None:
    for user in (lead, coordinator):
        page = client_for(user).get(reverse("mechanisms:meeting_list"))
        assert page.status_code == 200
        assert joint.title in page.content.decode()
        assert consultation.title in page.content.decode()
        assert client_for(user).get(joint.get_absolute_url()).status_code == 200


def test_list_filters_by_kind_and_year(
    client_for: ClientFor, joint: Meeting, consultation: Meeting, lead: User
) -> None:
    url = reverse("mechanisms:meeting_list")
    body = client_for(lead).get(url, {"kind": "consultation", "year": "2026"}).content.decode()
    assert consultation.title in body and joint.title not in body
    body = client_for(lead).get(url, {"year": "2025"}).content.decode()
    assert consultation.title not in body


def test_a_unit_sees_only_the_meetings_it_was_asked_to(
    client_for: ClientFor, joint: Meeting, consultation: Meeting, liaison_b: User
) -> None:
    """School B was asked to the consultation, not to the joint meeting."""
    client = client_for(liaison_b)
    body = client.get(reverse("mechanisms:meeting_list")).content.decode()
    assert consultation.title in body and joint.title not in body
    assert client.get(consultation.get_absolute_url()).status_code == 200
    assert client.get(joint.get_absolute_url()).status_code == 404


def test_detail_shows_attendance_decisions_and_the_task_link(
    client_for: ClientFor, county: County, joint: Meeting, lead: User, edu_clerk: User
) -> None:
    services.attendance_set(
        actor=lead,
        meeting=joint,
        rows=[{"unit": county.school_a, "present": False, "note": "因公请假"}],
    )
    services.minutes_record(actor=lead, meeting=joint, minutes="会议纪要正文")
    decision = services.decision_add(actor=lead, meeting=joint, text="教育局牵头制定计划")
    body = client_for(lead).get(joint.get_absolute_url()).content.decode()
    assert "因公请假" in body and "会议纪要正文" in body and decision.text in body
    assert f"{reverse('mechanisms:task_create')}?decision={decision.pk}" in body
    body = client_for(edu_clerk).get(joint.get_absolute_url()).content.decode()
    assert decision.text in body
    assert "?decision=" not in body  # a member unit sets no tasks
    assert reverse("mechanisms:meeting_edit", args=[joint.pk]) not in body


def test_cases_shown_only_to_those_who_may_see_them(
    client_for: ClientFor,
    county: County,
    consultation: Meeting,
    coordinator: User,
    liaison_a: User,
    liaison_b: User,
) -> None:
    case = school_a_case(county, liaison_a)
    services.meeting_cases_set(actor=coordinator, meeting=consultation, cases=[case], files=[])
    body = client_for(coordinator).get(consultation.get_absolute_url()).content.decode()
    assert case.reference in body and "more not shown to you" not in body
    body = client_for(liaison_a).get(consultation.get_absolute_url()).content.decode()
    assert case.reference in body
    body = client_for(liaison_b).get(consultation.get_absolute_url()).content.decode()
    assert case.reference not in body
    assert "1 more not shown to you." in body


def test_create_a_meeting(client_for: ClientFor, county: County, lead: User) -> None:
    client = client_for(lead)
    assert client.get(reverse("mechanisms:meeting_create")).status_code == 200
    page = client.post(
        reverse("mechanisms:meeting_create"),
        {
            "kind": "special",
            "title": "防溺水专题会议",
            "held_on": "2026-06-01",
            "place": "县应急局",
            "units": [county.education.pk, county.police_a.pk],
            "agenda": "排查危险水域",
        },
    )
    meeting = Meeting.objects.get()
    assert page.status_code == 302 and page["Location"] == meeting.get_absolute_url()
    assert meeting.convener == county.procuratorate
    assert meeting.attendances.count() == 2


def test_create_refuses_bad_input(client_for: ClientFor, county: County, lead: User) -> None:
    page = client_for(lead).post(
        reverse("mechanisms:meeting_create"),
        {"kind": "party", "title": "", "held_on": "tomorrow", "units": ["999999"]},
    )
    assert page.status_code == 400
    form = page.context["form"]
    assert set(form.errors) >= {"kind", "title", "held_on", "units"}
    assert not Meeting.objects.exists()


def test_edit_attendance_minutes_and_decisions(
    client_for: ClientFor, county: County, joint: Meeting, lead: User, edu_clerk: User
) -> None:
    client = client_for(lead)
    page = client.post(
        reverse("mechanisms:meeting_edit", args=[joint.pk]),
        {
            "kind": "joint",
            "title": "改名的会议",
            "held_on": "2026-09-11",
            "units": [county.education.pk, county.school_a.pk],
        },
    )
    assert page.status_code == 302
    joint.refresh_from_db()
    assert joint.title == "改名的会议"
    url = reverse("mechanisms:meeting_attendance", args=[joint.pk])
    assert client.get(url).status_code == 200
    edu, school = county.education.pk, county.school_a.pk
    page = client.post(
        url,
        {f"present_{edu}": "on", f"person_{edu}": edu_clerk.pk, f"note_{school}": "请假"},
    )
    assert page.status_code == 302
    rows = {a.unit_id: a for a in joint.attendances.all()}
    assert rows[edu].person == edu_clerk and rows[edu].present
    assert not rows[school].present and rows[school].note == "请假"
    page = client.post(reverse("mechanisms:meeting_minutes", args=[joint.pk]), {"minutes": "纪要"})
    assert page.status_code == 302
    page = client.post(reverse("mechanisms:decision_add", args=[joint.pk]), {"text": "事项一"})
    assert page.status_code == 302
    decision = joint.decisions.get()
    edit = reverse("mechanisms:decision_edit", args=[joint.pk, decision.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"text": "事项一（改）"}).status_code == 302
    decision.refresh_from_db()
    assert decision.text == "事项一（改）"
    remove = reverse("mechanisms:decision_remove", args=[joint.pk, decision.pk])
    assert client.post(remove).status_code == 302
    assert not joint.decisions.exists()


def test_attendance_refuses_a_person_of_another_unit(
    client_for: ClientFor, county: County, joint: Meeting, lead: User, liaison_b: User
) -> None:
    school = county.school_a.pk
    page = client_for(lead).post(
        reverse("mechanisms:meeting_attendance", args=[joint.pk]),
        {f"present_{school}": "on", f"person_{school}": liaison_b.pk},
    )
    assert page.status_code == 400
    assert f"person_{school}" in page.context["form"].errors
    assert all(a.person is None for a in joint.attendances.all())


def test_a_decision_of_another_meeting_is_not_found(
    client_for: ClientFor, joint: Meeting, consultation: Meeting, lead: User
) -> None:
    decision = services.decision_add(actor=lead, meeting=consultation, text="事项")
    url = reverse("mechanisms:decision_edit", args=[joint.pk, decision.pk])
    assert client_for(lead).get(url).status_code == 404


def test_link_cases_and_attach_a_file(
    client_for: ClientFor,
    county: County,
    consultation: Meeting,
    coordinator: User,
    liaison_a: User,
) -> None:
    case = school_a_case(county, liaison_a)
    client = client_for(coordinator)
    url = reverse("mechanisms:meeting_cases", args=[consultation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"cases": [case.pk]}).status_code == 302
    assert list(consultation.cases.all()) == [case]
    upload = SimpleUploadedFile("签到表.txt", "签到表".encode())
    files = reverse("mechanisms:meeting_files", args=[consultation.pk])
    assert client.post(files, {"file": upload}).status_code == 302
    assert Attachment.objects.for_owner(consultation).count() == 1
    page = client.post(files, {})
    assert page.status_code == 400


def _urls(meeting: Meeting) -> dict[str, tuple[str, str]]:
    decision = meeting.decisions.first()
    assert decision is not None
    pk, d = meeting.pk, decision.pk
    return {
        "meeting_list": ("get", reverse("mechanisms:meeting_list")),
        "meeting_create": ("post", reverse("mechanisms:meeting_create")),
        "meeting": ("get", reverse("mechanisms:meeting", args=[pk])),
        "meeting_edit": ("post", reverse("mechanisms:meeting_edit", args=[pk])),
        "meeting_attendance": ("post", reverse("mechanisms:meeting_attendance", args=[pk])),
        "meeting_minutes": ("post", reverse("mechanisms:meeting_minutes", args=[pk])),
        "meeting_minutes_docx": ("get", reverse("mechanisms:meeting_minutes_docx", args=[pk])),
        "decision_add": ("post", reverse("mechanisms:decision_add", args=[pk])),
        "decision_edit": ("post", reverse("mechanisms:decision_edit", args=[pk, d])),
        "decision_remove": ("post", reverse("mechanisms:decision_remove", args=[pk, d])),
        "meeting_cases": ("post", reverse("mechanisms:meeting_cases", args=[pk])),
        "meeting_files": ("post", reverse("mechanisms:meeting_files", args=[pk])),
    }


READS = {"meeting_list", "meeting", "meeting_minutes_docx"}


@pytest.mark.parametrize("who", ["outsider", "liaison_b", "sysadmin"])
def test_not_allowed_anywhere(
    who: str, client_for: ClientFor, joint: Meeting, lead: User, request: Any
) -> None:
    """A unit not asked (school B), an outsider (a hotel clerk) and the system administrator:
    no meeting page, no form, nothing changed."""
    services.decision_add(actor=lead, meeting=joint, text="事项")
    client = client_for(request.getfixturevalue(who))
    for name, (method, url) in _urls(joint).items():
        page = getattr(client, method)(url, {"title": "x", "minutes": "x", "text": "x"})
        if who == "sysadmin":
            expected = {403}
        elif name == "meeting_list":
            expected = {200}
        elif name in READS:
            expected = {404}
        else:
            expected = {403}
        assert page.status_code in expected, (name, page.status_code)
    if who != "sysadmin":
        body = client.get(reverse("mechanisms:meeting_list")).content.decode()
        assert joint.title not in body
    joint.refresh_from_db()
    assert joint.title == "第三季度联席会议" and not joint.minutes
    assert joint.decisions.count() == 1


def test_a_member_asked_may_read_but_not_change(
    client_for: ClientFor, joint: Meeting, lead: User, liaison_a: User
) -> None:
    services.decision_add(actor=lead, meeting=joint, text="事项")
    client = client_for(liaison_a)
    for name, (method, url) in _urls(joint).items():
        page = getattr(client, method)(url, {"title": "x"})
        assert page.status_code == (200 if name in READS else 403), name
