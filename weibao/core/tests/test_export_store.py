"""Exports of personal data (core.services.export_store): a password shown once, a file that
expires after its download or its days, every download audited."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msoffcrypto
import time_machine
from django.urls import reverse

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.core import services
from weibao.core.models import Job
from weibao.kit.spreadsheets import XLSX_CONTENT_TYPE, workbook_bytes

T0 = datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _store(user: User, protect: bool = True, owner: Any = None):
    content = workbook_bytes("People", ["Name"], [["张*"]])
    return services.export_store(
        actor=user,
        name="people.xlsx",
        content=content,
        content_type=XLSX_CONTENT_TYPE,
        owner=owner,
        protect=protect,
    )


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_protected_export_opens_only_with_the_password(liaison_a: User) -> None:
    attachment, password = _store(liaison_a)
    assert len(password) == 12
    with attachment.file.open("rb") as handle:
        office = msoffcrypto.OfficeFile(io.BytesIO(handle.read()))
    assert office.is_encrypted()
    office.load_key(password=password)
    office.decrypt(io.BytesIO())  # raises with a wrong password
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).get()
    assert event.detail["protected"] is True and password not in str(event.detail)


def test_an_unprotected_export_has_no_password(liaison_a: User) -> None:
    attachment, password = _store(liaison_a, protect=False)
    assert password == ""
    with attachment.file.open("rb") as handle:
        assert handle.read(4) == b"PK\x03\x04"


def test_the_file_goes_after_its_download(liaison_a: User, client_for: Any, settings) -> None:
    settings.EXPORT_DOWNLOADS = 1
    attachment, _password = _store(liaison_a)
    client = client_for(liaison_a)
    url = reverse("core:attachment_download", args=[attachment.pk])
    first = client.get(url)
    assert first.status_code == 200 and _body(first).startswith(b"\xd0\xcf\x11\xe0")
    assert not attachment.file.storage.exists(attachment.file.name)
    second = client.get(url)
    assert second.status_code == 410
    assert "no longer available" in second.content.decode()
    downloads = AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD)
    assert downloads.count() == 1 and downloads.get().detail["downloads_left"] == "0"


def test_the_file_goes_after_its_days(liaison_a: User, client_for: Any, settings) -> None:
    settings.EXPORT_DOWNLOADS = 0  # no limit on downloads: only the days count
    settings.EXPORT_EXPIRY_DAYS = 7
    with time_machine.travel(T0, tick=False) as clock:
        attachment, _password = _store(liaison_a)
        client = client_for(liaison_a)
        url = reverse("core:attachment_download", args=[attachment.pk])
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        clock.move_to(T0 + timedelta(days=7, seconds=1))
        assert services.exports_expire() == 1
        assert services.exports_expire() == 0  # safe to run twice
        assert not attachment.file.storage.exists(attachment.file.name)
        assert client_for(liaison_a).get(url).status_code == 410
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count() == 2


def test_other_users_cannot_download_an_export(
    liaison_a: User, liaison_b: User, client_for: Any
) -> None:
    job = Job.objects.create(kind="people_export", title="t", started_by=liaison_a)
    attachment, _password = _store(liaison_a, owner=job)
    url = reverse("core:attachment_download", args=[attachment.pk])
    assert client_for(liaison_b).get(url).status_code == 404
    attachment.refresh_from_db()
    assert attachment.downloads_left == 1  # the refused try took nothing


def test_the_job_page_shows_the_password_once(liaison_a: User, client_for: Any) -> None:
    job = Job.objects.create(
        kind="people_export", title="t", started_by=liaison_a, status=Job.Status.DONE
    )
    attachment, password = _store(liaison_a, owner=job)
    services.job_password_keep(job=job, password=password)
    Job.objects.filter(pk=job.pk).update(result=attachment)
    job.refresh_from_db()
    assert password not in job.secret  # kept encrypted
    client = client_for(liaison_a)
    url = reverse("core:job_detail", args=[job.pk])
    first = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert password in first
    assert password not in client.get(url).content.decode()
    assert Job.objects.get(pk=job.pk).secret == ""
    reveal = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert reveal.detail == {"field": "export_password"} and reveal.actor == liaison_a


def test_the_password_is_not_shown_before_the_job_is_done(liaison_a: User, client_for) -> None:
    job = Job.objects.create(kind="people_export", title="t", started_by=liaison_a)
    services.job_password_keep(job=job, password="Abcdefgh2345")
    body = client_for(liaison_a).get(reverse("core:job_detail", args=[job.pk])).content
    assert b"Abcdefgh2345" not in body
    assert Job.objects.get(pk=job.pk).secret != ""
