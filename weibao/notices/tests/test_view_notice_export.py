from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.notices.tests.conftest import past_deadline


def test_exports_the_status_table(client_for, education, sent_notice) -> None:
    past_deadline(sent_notice)
    response = client_for(education).get(reverse("notices:export", args=[sent_notice.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("School", "Township", "Liaison")
    assert len(rows) == 4
    assert {row[5] for row in rows[1:]} == {"overdue"}
    assert {row[1] for row in rows[1:]} == {"鳌溪镇", "公溪镇"}
    assert AuditEvent.objects.filter(action="export", target_id=str(sent_notice.pk)).exists()


def test_not_allowed(client_for, sent_notice, liaison_a, outsider, coordinator) -> None:
    url = reverse("notices:export", args=[sent_notice.pk])
    assert client_for(liaison_a).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
