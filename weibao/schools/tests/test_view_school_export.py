from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.audit.models import AuditEvent
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE

URL = reverse("schools:export")


def test_asks_the_purpose_then_downloads(client_for, education, record_a) -> None:
    client = client_for(education)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"purpose": "yearly check"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail["purpose"] == "yearly check"


def test_purpose_is_required(client_for, education, record_a) -> None:
    response = client_for(education).post(URL, {"purpose": ""})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_not_allowed(request, client_for, record_a, name) -> None:
    response = client_for(request.getfixturevalue(name)).post(URL, {"purpose": "yearly check"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
