"""The at-risk files export, protected: an encrypted file, its password shown once on the page,
downloadable by its maker only and only once; no formula in any cell."""

from __future__ import annotations

import io

import msoffcrypto
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from weibao.atrisk.tests.conftest import report
from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment


@pytest.fixture
def data(liaison_b, pupil_b):
    report(liaison_b, [pupil_b], "BL04")


def test_a_protected_export_shows_the_password_once_and_expires(
    client_for, liaison_b, liaison_a, data
) -> None:
    client = client_for(liaison_b)
    page = client.post(reverse("atrisk:export"), {"purpose": "学期末帮教总结", "protect": "on"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    body = page.content.decode()
    password = body.split("<code>")[1].split("</code>")[0]
    attachment = Attachment.objects.get()
    url = reverse("core:attachment_download", args=[attachment.pk])
    assert url in body
    assert client_for(liaison_a).get(url).status_code == 404
    download = client.get(url)
    office = msoffcrypto.OfficeFile(io.BytesIO(b"".join(download.streaming_content)))
    office.load_key(password=password)
    plain = io.BytesIO()
    office.decrypt(plain)
    cells = [c for row in load_workbook(plain).worksheets[0].iter_rows() for c in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert client.get(url).status_code == 410  # downloaded once: gone
    assert AuditEvent.objects.filter(action="export").count() == 1
    assert AuditEvent.objects.filter(action="download").count() == 1
    assert password not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
