"""The download view: only the uploader and those who see the owner record; audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment, Job
from weibao.core.services import attachment_store, attachment_store_bytes
from weibao.people.models import Person
from weibao.testing import County

PDF = b"%PDF-1.4\nhello\n%%EOF\n"


@pytest.fixture
def pupil_a(county: County) -> Person:
    return Person.objects.create(
        name="张小明",
        sex=Person.Sex.MALE,
        birth_date=date(2015, 3, 1),
        school=county.school_a,
        registered_by=county.school_a,
    )


@pytest.fixture
def report(liaison_a: User, pupil_a: Person, file_root: Path) -> Attachment:
    """A file that school A's liaison attached to a pupil of school A."""
    return attachment_store(
        actor=liaison_a, upload=SimpleUploadedFile("张小明情况说明.pdf", PDF), owner=pupil_a
    )


def url(attachment: Attachment) -> str:
    return f"/files/{attachment.pk}/"


def downloads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD))


def test_uploader_downloads_it(liaison_a: User, report: Attachment, client_for: Any) -> None:
    response = client_for(liaison_a).get(url(report))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("张小明情况说明.pdf") in disposition  # RFC 5987 filename*=utf-8''...


def test_download_is_audited(liaison_a: User, report: Attachment, client_for: Any) -> None:
    client_for(liaison_a).get(url(report))

    [event] = downloads()
    assert event.actor == liaison_a
    assert event.target_type == "core.attachment"
    assert event.target_id == str(report.pk)
    assert event.detail["owner"] == f"people.person:{report.owner_id}"


def test_colleague_who_sees_the_record_downloads_it(
    admin_a: User, coordinator: User, report: Attachment, client_for: Any
) -> None:
    assert client_for(admin_a).get(url(report)).status_code == 200
    assert client_for(coordinator).get(url(report)).status_code == 200
    assert [event.actor for event in downloads()] == [coordinator, admin_a]


@pytest.mark.parametrize("who", ["liaison_b", "outsider", "sysadmin", "auditor"])
def test_others_get_404(who: str, report: Attachment, client_for: Any, request: Any) -> None:
    user = request.getfixturevalue(who)

    response = client_for(user).get(url(report))

    assert response.status_code == 404
    assert downloads() == []


def test_missing_attachment_is_404_too(liaison_a: User, client_for: Any) -> None:
    assert client_for(liaison_a).get("/files/999999/").status_code == 404


def test_anonymous_is_sent_to_log_in(report: Attachment, client: Any) -> None:
    response = client.get(url(report))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_owner_without_a_policy_is_uploader_only(
    liaison_a: User, admin_a: User, county: County, file_root: Path, client_for: Any
) -> None:
    # A Division has no for_user: nobody but the uploader may fetch a file attached to one.
    attachment = attachment_store(
        actor=liaison_a, upload=SimpleUploadedFile("map.pdf", PDF), owner=county.township_a
    )

    assert client_for(admin_a).get(url(attachment)).status_code == 404
    assert client_for(liaison_a).get(url(attachment)).status_code == 200


def test_job_result_is_for_the_job_starter(
    liaison_a: User, admin_a: User, file_root: Path, client_for: Any
) -> None:
    job = Job.objects.create(kind="export", title="Export", started_by=liaison_a)
    result = attachment_store_bytes(
        actor=None, name="export.csv", content=b"a,b\n", content_type="text/csv", owner=job
    )

    assert client_for(liaison_a).get(url(result)).status_code == 200
    assert client_for(admin_a).get(url(result)).status_code == 404


def test_file_missing_from_storage_is_404(
    liaison_a: User, report: Attachment, client_for: Any
) -> None:
    report.file.storage.delete(report.file.name or "")

    assert client_for(liaison_a).get(url(report)).status_code == 404
    assert downloads() == []
