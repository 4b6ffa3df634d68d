"""The audit log in the API: auditors only."""

from __future__ import annotations

import pytest
from django.test import Client

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record

from .conftest import token_client

URL = "/api/v1/audit-events/"


@pytest.fixture
def events(liaison_a: User, liaison_b: User) -> list[AuditEvent]:
    return [
        record(AuditEvent.Action.VIEW, actor=liaison_a, target=liaison_a, phone="13812345678"),
        record(AuditEvent.Action.EXPORT, actor=liaison_b),
    ]


def test_auditor_reads_masked_events(auditor: User, events: list[AuditEvent]) -> None:
    data = token_client(auditor).get(URL).json()
    found = {e["id"]: e for e in data["results"]}
    assert events[0].pk in found and events[1].pk in found
    assert found[events[0].pk]["detail"]["phone"] == "138****5678"


def test_filters(auditor: User, liaison_b: User, events: list[AuditEvent]) -> None:
    client = token_client(auditor)
    ids = {e["id"] for e in client.get(URL, {"action": "export"}).json()["results"]}
    assert ids == {events[1].pk}
    ids = {e["id"] for e in client.get(URL, {"actor": liaison_b.pk}).json()["results"]}
    assert ids == {events[1].pk}
    assert AuditEvent.objects.filter(action="search", actor__username="auditor").count() == 2


def test_read_only(auditor: User, events: list[AuditEvent]) -> None:
    client = token_client(auditor)
    assert client.delete(f"{URL}{events[0].pk}/").status_code == 405
    assert client.post(URL, {}, content_type="application/json").status_code == 405


@pytest.mark.parametrize("who", ["liaison_a", "coordinator", "sysadmin", "admin_a"])
def test_others_get_403(who: str, request, events: list[AuditEvent]) -> None:
    client = token_client(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{events[0].pk}/").status_code == 403


def test_anonymous_is_refused(events: list[AuditEvent]) -> None:
    assert Client().get(URL).status_code in (401, 403)


def test_query_count_does_not_grow(
    auditor: User,
    liaison_a: User,
    django_assert_max_num_queries,
) -> None:
    client = token_client(auditor)
    record(AuditEvent.Action.VIEW, actor=liaison_a)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for n in range(30):
        record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr=f"记录{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
