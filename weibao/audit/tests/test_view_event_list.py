"""The auditor's page: filters by person, user, unit, action and time; nobody else may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.people.models import Person
from weibao.testing import County

URL = "/audit/"


@pytest.fixture
def events(liaison_a: User, liaison_b: User, pupil: Person) -> dict[str, AuditEvent]:
    return {
        "a_views_pupil": record(
            AuditEvent.Action.VIEW, actor=liaison_a, target=pupil, target_repr="张*明"
        ),
        "a_exports": record(AuditEvent.Action.EXPORT, actor=liaison_a, rows=3),
        "b_views_other": record(AuditEvent.Action.VIEW, actor=liaison_b, target=liaison_b),
        "b_reveals": record(
            AuditEvent.Action.REVEAL, actor=liaison_b, target=pupil, target_repr="张*明"
        ),
    }


def _ids(client: Client, query: dict) -> set[int]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return {event.pk for event in response.context["page"]}


def test_auditor_sees_the_log(auditor: User, events: dict, client_for) -> None:
    response = client_for(auditor).get(URL)
    assert response.status_code == 200
    assert {e.pk for e in events.values()} <= {e.pk for e in response.context["page"]}


def test_filters(auditor: User, county: County, pupil: Person, events: dict, client_for) -> None:
    client = client_for(auditor)
    ids = {name: event.pk for name, event in events.items()}
    assert _ids(client, {"person": pupil.pk}) == {ids["a_views_pupil"], ids["b_reveals"]}
    assert _ids(client, {"user": "liaison_b"}) == {ids["b_views_other"], ids["b_reveals"]}
    unit_a = {e for e in _ids(client, {"unit": county.school_a.pk})}
    assert unit_a == {ids["a_views_pupil"], ids["a_exports"]}
    assert _ids(client, {"action": "export"}) == {ids["a_exports"]}
    assert _ids(client, {"action": "view", "user": "liaison_a"}) == {ids["a_views_pupil"]}


def test_time_filter(auditor: User, events: dict, client_for) -> None:
    client = client_for(auditor)
    now = timezone.localtime()
    before = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    after = (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    mine = {e.pk for e in events.values()}
    assert mine <= _ids(client, {"since": before, "until": after})
    assert not mine & _ids(client, {"since": after})
    assert not mine & _ids(client, {"until": before})


def test_bad_period_is_refused(auditor: User, events: dict, client_for) -> None:
    response = client_for(auditor).get(
        URL, {"since": "2026-02-01T00:00", "until": "2026-01-01T00:00"}
    )
    assert response.context["form"].non_field_errors()


def test_searching_the_log_is_itself_recorded(auditor: User, events: dict, client_for) -> None:
    client_for(auditor).get(URL, {"user": "liaison_b"})
    search = AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH, actor=auditor).get()
    assert search.detail["filters"] == {"user": "liaison_b"}


def test_htmx_gets_the_table_only(auditor: User, events: dict, client_for) -> None:
    response = client_for(auditor).get(URL, HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "audit/_event_table.html"


@pytest.mark.parametrize("who", ["coordinator", "liaison_a", "sysadmin", "admin_a", "police"])
def test_others_get_403(who: str, request, events: dict, client_for) -> None:
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(db: None) -> None:
    assert Client().get(URL)["Location"].startswith("/accounts/login/")


def test_query_count_does_not_grow(
    auditor: User,
    liaison_a: User,
    client_for,
    django_assert_max_num_queries,
) -> None:
    client = client_for(auditor)
    client.get(URL)
    with django_assert_max_num_queries(15) as few:
        client.get(URL)
    for n in range(60):
        record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr=f"记录{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 50
