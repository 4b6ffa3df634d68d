"""The yearly summary page and its Excel export."""

from __future__ import annotations

from django.urls import reverse

from weibao.audit.models import AuditEvent

URL = reverse("legalvp:summary")
EXPORT = reverse("legalvp:summary_export")


def test_bureau_sees_summary(client_for, bureau, appointment) -> None:
    response = client_for(bureau).get(URL, {"year": appointment.term_start.year + 1})
    assert response.status_code == 200
    assert "乐安县人民检察院" in response.content.decode()


def test_export_asks_purpose_then_downloads(client_for, bureau, appointment) -> None:
    client = client_for(bureau)
    response = client.post(EXPORT + "?year=2026", {"purpose": ""})
    assert response.status_code == 400
    response = client.post(EXPORT + "?year=2026", {"purpose": "年度考核"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.get(action="export").detail["year"] == 2026


def test_not_allowed(client_for, liaison_a, prosecutor, outsider) -> None:
    for user in (liaison_a, prosecutor, outsider):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(EXPORT, {"purpose": "年度考核"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
