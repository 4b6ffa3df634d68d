"""attachment_store / attachment_store_bytes: limits, content checks, names, storage, audit."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment
from weibao.core.services import attachment_store, attachment_store_bytes, sanitise_name

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def office_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = office_zip("[Content_Types].xml", "word/document.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def file_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return excinfo.value.message_dict["file"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("情况说明.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("photo.jpg", JPG, "image/jpeg"),
        (
            "通知.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            office_zip("[Content_Types].xml", "xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("old.doc", OLE2, "application/msword"),
        ("old.xls", OLE2, "application/vnd.ms-excel"),
        ("wps文档.wps", OLE2, "application/vnd.ms-works"),
        (
            "名单.csv",
            "姓名,学校\n张三,鳌溪镇中心小学\n".encode("gb18030"),
            "text/csv; charset=utf-8",
        ),
        ("notes.txt", "备注：无\n".encode(), "text/plain; charset=utf-8"),
        ("anim.gif", b"GIF89a" + b"\x00" * 16, "image/gif"),
        ("pic.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_accepts_office_documents_images_and_pdf(
    liaison_a: User, file_root: Path, name: str, content: bytes, content_type: str
) -> None:
    attachment = attachment_store(actor=liaison_a, upload=upload(name, content))

    assert attachment.name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == liaison_a
    with attachment.file.open("rb") as handle:
        assert handle.read() == content


def test_stored_outside_the_web_root_under_a_random_name(liaison_a: User, file_root: Path) -> None:
    attachment = attachment_store(actor=liaison_a, upload=upload("张三的情况.pdf", PDF))

    [path] = stored_files(file_root)
    assert path.read_bytes() == PDF
    stored_name = attachment.file.name or ""
    assert stored_name.startswith("attachments/")
    assert "张三" not in stored_name
    assert "pdf" not in stored_name


def test_upload_is_audited(liaison_a: User, file_root: Path) -> None:
    attachment = attachment_store(
        actor=liaison_a, upload=upload("a.pdf", PDF), owner=liaison_a.organisation
    )

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPLOAD)
    assert event.actor == liaison_a
    assert event.target_type == "core.attachment"
    assert event.target_id == str(attachment.pk)
    assert event.target_repr == "a.pdf"
    assert event.detail["sha256"] == attachment.sha256
    assert event.detail["owner"] == f"accounts.organisation:{liaison_a.organisation_id}"


def test_owner_is_recorded(liaison_a: User, file_root: Path) -> None:
    school = liaison_a.organisation
    attachment = attachment_store(actor=liaison_a, upload=upload("a.pdf", PDF), owner=school)

    assert attachment.owner == school
    assert list(Attachment.objects.for_owner(school)) == [attachment]


def test_too_large(liaison_a: User, file_root: Path, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        attachment_store(actor=liaison_a, upload=upload("big.pdf", PDF + b"0" * 2000))

    [message] = file_errors(excinfo)
    assert "too large" in message
    assert "1.0 KB" in message or "1.0\xa0KB" in message
    assert Attachment.objects.count() == 0
    assert stored_files(file_root) == []


def test_empty(liaison_a: User, file_root: Path) -> None:
    with pytest.raises(ValidationError) as excinfo:
        attachment_store(actor=liaison_a, upload=upload("a.pdf", b""))
    assert "empty" in file_errors(excinfo)[0]


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "script.js", "archive.zip", "noext"])
def test_wrong_extension(liaison_a: User, file_root: Path, name: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        attachment_store(actor=liaison_a, upload=upload(name, PDF))

    [message] = file_errors(excinfo)
    assert "not accepted" in message
    assert "pdf" in message  # the accepted types are listed
    assert Attachment.objects.count() == 0
    assert stored_files(file_root) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00 this is a Windows program"),
        ("photo.jpg", PNG),
        ("photo.png", b"<svg onload=alert(1)>"),
        ("letter.docx", b"PK\x03\x04 not really a zip"),
        ("letter.docx", office_zip("payload.exe")),  # a zip, but not an office document
        ("old.doc", PDF),
        ("list.csv", b"\x00\x01\x02binary"),
        ("notes.txt", b"\xff\xfe\xfa\xfb\xfc" * 10),
    ],
)
def test_content_must_match_the_extension(
    liaison_a: User, file_root: Path, name: str, content: bytes
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        attachment_store(actor=liaison_a, upload=upload(name, content))

    [message] = file_errors(excinfo)
    assert "content" in message
    assert name.rsplit(".", 1)[1] in message
    assert Attachment.objects.count() == 0
    assert stored_files(file_root) == []


def test_path_in_the_name_is_dropped(liaison_a: User, file_root: Path) -> None:
    assert sanitise_name("../../etc/passwd") == "passwd"
    assert sanitise_name("..\\..\\windows\\win.ini") == "win.ini"
    with pytest.raises(ValidationError) as excinfo:
        attachment_store(actor=liaison_a, upload=upload("../../etc/passwd", b"root:x:0:0"))
    assert "not accepted" in file_errors(excinfo)[0]


def test_path_in_an_accepted_name_is_dropped(liaison_a: User, file_root: Path) -> None:
    attachment = attachment_store(actor=liaison_a, upload=upload("../../tmp/报告.pdf", PDF))
    assert attachment.name == "报告.pdf"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("鳌溪镇中心小学 2026年春季 安全教育.docx", "鳌溪镇中心小学 2026年春季 安全教育.docx"),
        ("report\x00\x07\n.pdf", "report.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # right-to-left override removed
        ('a<b>:c"d|e?f*.pdf', "a_b__c_d_e_f_.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("  spaced   out  .pdf ", "spaced out .pdf"),
    ],
)
def test_name_sanitising(raw: str, clean: str) -> None:
    assert sanitise_name(raw) == clean


def test_long_name_is_cut_keeping_the_extension() -> None:
    name = sanitise_name("未成年人" * 100 + ".docx")
    assert name == ("未成年人" * 100)[:195] + ".docx"
    assert len(name) == 200


def test_store_bytes_for_generated_files(liaison_a: User, file_root: Path) -> None:
    content = "姓名,学校\n".encode("utf-8-sig")
    attachment = attachment_store_bytes(
        actor=liaison_a, name="../导出.csv", content=content, content_type="text/csv"
    )

    assert attachment.name == "导出.csv"
    assert attachment.size == len(content)
    with attachment.file.open("rb") as handle:
        assert handle.read() == content
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.CREATE
    assert event.detail["generated"] is True


def test_store_bytes_without_an_actor(db: None, file_root: Path) -> None:
    attachment = attachment_store_bytes(
        actor=None, name="x.csv", content=b"a", content_type="text/csv"
    )
    assert attachment.uploaded_by is None
