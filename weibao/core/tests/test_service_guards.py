"""The platform's services refuse a wrong actor when called directly (no view in between)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.core.services import attachment_open, attachment_store
from weibao.people.models import Person
from weibao.testing import County


@pytest.fixture
def report(liaison_a: User, county: County, file_root: Path):
    pupil = Person.objects.create(
        name="张小明",
        sex=Person.Sex.MALE,
        birth_date=date(2015, 3, 1),
        school=county.school_a,
        registered_by=county.school_a,
    )
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4\nhello\n%%EOF\n")
    return attachment_store(actor=liaison_a, upload=upload, owner=pupil)


def test_attachment_open_refuses_another_school(liaison_b: User, report) -> None:
    with pytest.raises(PermissionDenied):
        attachment_open(actor=liaison_b, attachment=report)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_attachment_open_records_the_download(liaison_a: User, report) -> None:
    with attachment_open(actor=liaison_a, attachment=report) as handle:
        assert handle.read().startswith(b"%PDF")
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.actor == liaison_a
