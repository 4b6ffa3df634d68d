"""Limits on probing the register (issue 12 item 3): reveals, searches by ID number and duplicate
hits per user, refused with a clear message (429 and Retry-After on the API), the auditors
alerted once when a user crosses one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from weibao.audit.models import AuditEvent
from weibao.core.models import Notification
from weibao.kit.ratelimit import RateLimited
from weibao.people.models import Person
from weibao.people.services import person_create, person_reveal, person_search
from weibao.testing import id_for

T0 = datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
REASON = "家访核实身份"


@pytest.fixture(autouse=True)
def _limits(settings) -> None:
    settings.RATE_LIMITS = {"reveal": (2, 3600), "id_lookup": (2, 3600), "duplicate": (2, 3600)}


@pytest.fixture
def api():
    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    return make


def _alerts() -> list:
    return list(Notification.objects.filter(kind="rate_limit"))


# Reveals -------------------------------------------------------------------------------------


def test_reveals_past_the_limit_are_refused_and_alert_the_auditor(liaison_a, pupil_a, auditor):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(2):
            person_reveal(actor=liaison_a, person=pupil_a, field="id_number", reason=REASON)
        with pytest.raises(RateLimited) as refused:
            person_reveal(actor=liaison_a, person=pupil_a, field="phone", reason=REASON)
        assert "reveals of full ID numbers or phones" in refused.value.messages[0]
        with pytest.raises(RateLimited):
            person_reveal(actor=liaison_a, person=pupil_a, field="phone", reason=REASON)
        # Two reveals on record, no third; one alert for two refusals.
        assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 2
        assert [n.recipient for n in _alerts()] == [auditor]
        clock.move_to(T0 + timedelta(hours=1, seconds=1))
        person_reveal(actor=liaison_a, person=pupil_a, field="phone", reason=REASON)


def test_a_refused_reason_is_not_counted(liaison_a, pupil_a) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            with pytest.raises(Exception, match="reason"):
                person_reveal(actor=liaison_a, person=pupil_a, field="phone", reason="x")
        person_reveal(actor=liaison_a, person=pupil_a, field="phone", reason=REASON)


def test_the_reveal_page_shows_the_refusal(client_for, liaison_a, pupil_a) -> None:
    client = client_for(liaison_a)
    url = reverse("people:reveal", args=[pupil_a.pk])
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            client.post(url, {"field": "id_number", "reason": REASON}, HTTP_HX_REQUEST="true")
        response = client.post(
            url, {"field": "id_number", "reason": REASON}, HTTP_HX_REQUEST="true"
        )
    body = response.content.decode()
    assert "Too many reveals of full ID numbers or phones" in body
    assert pupil_a.id_number not in body


def test_the_api_answers_429_with_retry_after(api, liaison_a, pupil_a) -> None:
    client = api(liaison_a)
    url = f"/api/v1/people/{pupil_a.pk}/reveal/"
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            ok = client.post(url, {"field": "id_number", "reason": REASON}, format="json")
            assert ok.status_code == 200
        response = client.post(url, {"field": "id_number", "reason": REASON}, format="json")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many reveals" in response.json()["detail"]
    assert pupil_a.id_number not in response.content.decode()


def test_each_user_has_a_window_of_their_own(liaison_a, admin_a, pupil_a) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            person_reveal(actor=liaison_a, person=pupil_a, field="phone", reason=REASON)
        assert person_reveal(actor=admin_a, person=pupil_a, field="phone", reason=REASON)


# Searches by ID number -----------------------------------------------------------------------


def test_searches_by_id_number_are_limited_and_names_are_not(coordinator, pupil_a) -> None:
    people = Person.objects.all()
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert list(person_search(people, pupil_a.id_number, actor=coordinator)) == [pupil_a]
        with pytest.raises(RateLimited):
            person_search(people, pupil_a.id_number, actor=coordinator)
        for _ in range(5):  # a name is no look-up by ID number
            person_search(people, "张三", actor=coordinator)


def test_the_api_search_answers_429(api, coordinator, pupil_a, auditor) -> None:
    client = api(coordinator)
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert client.get("/api/v1/people/", {"q": pupil_a.id_number}).status_code == 200
        response = client.get("/api/v1/people/", {"q": pupil_a.id_number})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3600
    assert len(_alerts()) == 1


def test_the_list_page_answers_with_the_429_page(client_for, coordinator, pupil_a) -> None:
    client = client_for(coordinator)
    url = reverse("people:list")
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert client.get(url, {"q": pupil_a.id_number}).status_code == 200
        response = client.get(url, {"q": pupil_a.id_number})
    assert response.status_code == 429
    assert "Too many searches by ID number" in response.content.decode()
    assert response["Retry-After"] == "3600"


def test_the_picker_counts_too(client_for, coordinator, pupil_a) -> None:
    client = client_for(coordinator)
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            client.get("/pick/person/", {"q": pupil_a.id_number})
        response = client.get("/pick/person/", {"q": pupil_a.id_number})
    assert response.status_code == 429


# Duplicate hits ------------------------------------------------------------------------------


def _register(actor, id_number: str) -> Exception | Person:
    try:
        return person_create(actor=actor, data={"name": "王五", "id_number": id_number})
    except Exception as exc:
        return exc


def test_duplicate_hits_past_the_limit_refuse_every_number(liaison_b, pupil_a, auditor) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert "already registered" in str(_register(liaison_b, pupil_a.id_number))
        hidden = _register(liaison_b, pupil_a.id_number)
        assert isinstance(hidden, RateLimited)
        # A number on nobody's record is refused the same way: the refusal tells nothing.
        fresh = _register(liaison_b, id_for(date(2016, 1, 2), 77))
        assert isinstance(fresh, RateLimited)
        assert str(fresh) == str(hidden)
        assert Person.objects.count() == 1
        assert len(_alerts()) == 1


def test_registering_new_people_does_not_count(liaison_a) -> None:
    with time_machine.travel(T0, tick=False):
        for seq in range(5):
            assert isinstance(_register(liaison_a, id_for(date(2016, 1, 2), 10 + seq)), Person)


def test_the_api_create_answers_429(api, liaison_b, pupil_a) -> None:
    client = api(liaison_b)
    data = {"name": "张三", "id_number": pupil_a.id_number}
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert client.post("/api/v1/people/", data, format="json").status_code == 400
        response = client.post("/api/v1/people/", data, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_the_create_page_keeps_what_was_typed(client_for, liaison_b, pupil_a) -> None:
    client = client_for(liaison_b)
    data = {"name": "张三", "id_number": pupil_a.id_number, "sex": "M"}
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            client.post(reverse("people:create"), data)
        response = client.post(reverse("people:create"), data)
    body = response.content.decode()
    assert "Too many registrations of ID numbers already on record" in body
    assert 'value="张三"' in body
