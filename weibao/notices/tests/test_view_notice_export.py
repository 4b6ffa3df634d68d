from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.notices.tests.conftest import past_deadline, pdf


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


def test_the_export_carries_each_schools_latest_reply(
    client_for, education, sent_notice, liaison_a
) -> None:
    from weibao.notices import services

    recipient = sent_notice.recipients.get(user=liaison_a)
    services.notice_reply(actor=liaison_a, recipient=recipient, text="初稿", uploads=[pdf()])
    services.notice_reply(
        actor=liaison_a, recipient=recipient, text="已开展防溺水教育，共12个班。", uploads=[pdf()]
    )
    response = client_for(education).get(reverse("notices:export", args=[sent_notice.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "Reply"
    texts = {row[-1] for row in rows[1:]}
    assert "已开展防溺水教育，共12个班。" in texts and "初稿" not in texts


def test_the_export_can_be_protected_with_a_password(client_for, education, sent_notice) -> None:
    from weibao.testing import open_protected

    client = client_for(education)
    page = client.post(reverse("notices:export", args=[sent_notice.pk]), {"protect": "1"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(open_protected(client, page))).active.iter_rows())
    assert len(rows) == 4
    plain = client.post(reverse("notices:export", args=[sent_notice.pk]))
    assert plain["Content-Disposition"].startswith("attachment")
