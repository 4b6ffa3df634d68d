"""The letter: Word download (audited) and the print view."""

from __future__ import annotations

import io

from django.urls import reverse
from docx import Document

from weibao.audit.models import AuditEvent


def test_download_opens_in_word(client_for, liaison_a, appointment) -> None:
    response = client_for(liaison_a).get(reverse("legalvp:letter", args=[appointment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "王正义" in text and appointment.serial_number in text
    assert AuditEvent.objects.filter(action="download", target_id=str(appointment.pk)).exists()


def test_print_view(client_for, bureau, appointment) -> None:
    response = client_for(bureau).get(reverse("legalvp:letter_print", args=[appointment.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "法治副校长聘书" in text
    assert "兹聘请王正义同志" in text
    assert appointment.serial_number in text
    assert "@media print" in text


def test_not_allowed(client_for, liaison_b, outsider, appointment) -> None:
    for name in ("letter", "letter_print"):
        url = reverse(f"legalvp:{name}", args=[appointment.pk])
        assert client_for(liaison_b).get(url).status_code == 404
        assert client_for(outsider).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="download").exists()
