"""The education API: sessions, coverage and cases under the pages' policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from weibao.education.models import Session, TeachingCase
from weibao.legalvp.models import DutyRecord
from weibao.people.models import Person

SESSIONS = "/api/v1/education/sessions/"
COVERAGE = "/api/v1/education/coverage/"
CASES = "/api/v1/education/cases/"


@pytest.fixture
def api():
    def make(user) -> APIClient:
        client = APIClient()
        token = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


def payload(school, topics, **changes):
    data = {
        "school": school.pk,
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "status": "held",
        "audience": "pupils",
        "attendance": 45,
        "topics": [topics[0].pk],
        "speaker_kind": "teacher",
        "speaker_name": "李老师",
        "hours": "1.0",
    }
    data.update(changes)
    return data


def test_sessions_scoped(api, make_session, school_b, liaison_a, liaison_b, outsider) -> None:
    session = make_session()
    make_session(school=school_b, speaker_kind="teacher")
    rows = api(liaison_a).get(SESSIONS).json()["results"]
    assert [row["id"] for row in rows] == [session.pk]
    assert api(liaison_b).get(f"{SESSIONS}{session.pk}/").status_code == 404
    assert api(outsider).get(SESSIONS).json()["count"] == 0


def test_session_create_update_delete(api, liaison_a, school_a, topics, appointment) -> None:
    client = api(liaison_a)
    response = client.post(SESSIONS, payload(school_a, topics), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.patch(
        f"{SESSIONS}{pk}/",
        {"speaker_kind": "legal_vp", "appointment": appointment.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["duty_record"] is not None
    assert DutyRecord.objects.count() == 1
    assert client.delete(f"{SESSIONS}{pk}/").status_code == 204
    assert not Session.objects.exists() and not DutyRecord.objects.exists()


def test_session_bad_input_and_not_allowed(api, liaison_b, outsider, school_a, topics) -> None:
    response = api(liaison_b).post(SESSIONS, payload(school_a, topics), format="json")
    assert response.status_code == 400
    assert response.json()["school"] == ["You may record sessions only at your own school."]
    assert api(outsider).post(SESSIONS, payload(school_a, topics), format="json").status_code == 403
    assert not Session.objects.exists()


def test_session_change_not_allowed(api, police, make_session) -> None:
    session = make_session()  # police see it (their township), may not change it
    assert api(police).get(f"{SESSIONS}{session.pk}/").status_code == 200
    response = api(police).patch(f"{SESSIONS}{session.pk}/", {"attendance": 1}, format="json")
    assert response.status_code == 403


def test_coverage(api, coordinator, liaison_a, term, make_session) -> None:
    make_session(audience="mixed")
    data = api(coordinator).get(COVERAGE, {"term": term.pk}).json()
    assert data["total"] == {"required": 1, "met": 1, "share": 100}
    assert data["figures"]["sessions_held"] == 1
    assert api(liaison_a).get(COVERAGE).status_code == 403
    assert api(coordinator).get(COVERAGE, {"term": "x"}).status_code == 400


def test_cases(api, liaison_a, liaison_b, coordinator, topics, county) -> None:
    Person.objects.create(name="王小五", sex="M", birth_date=date(2013, 1, 1),
                          registered_by=county.school_a)  # fmt: skip
    data = {"title": "王小五的故事", "summary": "……", "statute": "未成年人保护法",
            "age_group": "primary", "topics": [topics[0].pk]}  # fmt: skip
    response = api(liaison_a).post(CASES, data, format="json")
    assert response.status_code == 400 and "confirm" in response.json()
    response = api(liaison_a).post(CASES, {**data, "summary": "电话13812345678"}, format="json")
    assert response.status_code == 400 and "summary" in response.json()
    response = api(liaison_a).post(CASES, {**data, "confirm": True}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api(liaison_b).get(f"{CASES}{pk}/").status_code == 404
    assert api(liaison_a).post(f"{CASES}{pk}/decide/", {"publish": True}).status_code == 403
    assert api(coordinator).post(f"{CASES}{pk}/decide/", {"publish": True}).status_code == 200
    assert TeachingCase.objects.get().status == "published"
    assert api(liaison_b).get(CASES, {"q": "故事"}).json()["count"] == 1
