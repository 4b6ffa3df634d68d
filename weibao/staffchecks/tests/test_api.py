"""The API gives the pages' results and policy: own unit only, no register details."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.staffchecks.models import CheckBatch, CheckItem, OffenderRecord, StaffMember
from weibao.staffchecks.tests.test_views import done_batch  # noqa: F401  (fixture)

ClientFor = Callable[[User], Client]


def test_unit_reads_its_results_as_pending_or_barred(
    client_for: ClientFor,
    admin_a: User,
    done_batch: CheckBatch,  # noqa: F811
) -> None:
    response = client_for(admin_a).get(f"/api/v1/staff-checks/{done_batch.pk}/")
    assert response.status_code == 200
    results = sorted(item["result"] for item in response.json()["items"])
    assert results == ["barred", "clear", "pending"]
    assert "possible" not in response.content.decode() and "sexual" not in response.content.decode()
    assert AuditEvent.objects.filter(action="view", detail__via="api").exists()


def test_other_school_and_police_are_refused(
    client_for: ClientFor,
    liaison_b: User,
    police: User,
    outsider: User,
    done_batch: CheckBatch,  # noqa: F811
) -> None:
    assert client_for(liaison_b).get(f"/api/v1/staff-checks/{done_batch.pk}/").status_code == 404
    assert client_for(liaison_b).get("/api/v1/staff-checks/").json()["results"] == []
    assert client_for(liaison_b).get("/api/v1/staff/").json()["results"] == []
    for user in (police, outsider):
        assert client_for(user).get("/api/v1/staff-checks/").status_code == 403
        assert client_for(user).get("/api/v1/staff/").status_code == 403
    assert CheckItem.objects.exists() and OffenderRecord.objects.exists()


def test_roster_is_masked(
    client_for: ClientFor, admin_a: User, roster_a: list[StaffMember]
) -> None:
    rows = client_for(admin_a).get("/api/v1/staff/").json()["results"]
    assert len(rows) == 3
    assert all("*" in row["id_number"] for row in rows)
