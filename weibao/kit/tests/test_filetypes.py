"""Uploads are what they claim by content, for what the field accepts (weibao.kit.filetypes)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.core.services import validate_upload
from weibao.kit import filetypes
from weibao.kit.spreadsheets import workbook_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100
TEXT = "签到：张三、李四\n".encode() * 10


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("ext", "content", "ok"),
    [
        ("jpg", TEXT, False),  # a .txt renamed .jpg
        ("jpg", b"\xff\xd8\xff\xe0" + b"0" * 50, True),
        ("pdf", PDF, True),
        ("pdf", b"PDF but not really", False),
        ("xlsx", workbook_bytes("t", ["a"], [["b"]]), True),
        ("xlsx", b"PK\x03\x04" + b"0" * 50, False),  # a zip that is no workbook
        ("png", PNG, True),
        ("txt", TEXT, True),
        ("txt", "签到".encode("gb18030") * 10, True),
        ("csv", PNG, False),
    ],
)
def test_content_matches(ext: str, content: bytes, ok: bool) -> None:
    assert filetypes.content_matches(ext, io.BytesIO(content)) is ok


def test_kinds_expand_to_extensions() -> None:
    assert filetypes.extensions(["image", "pdf"]) == ("jpg", "jpeg", "png", "gif", "webp", "pdf")
    assert filetypes.extensions([".CSV", "csv"]) == ("csv",)


def test_each_kind_has_its_size_limit(settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    settings.UPLOAD_MAX_BYTES = {"image": 1024}
    assert filetypes.max_bytes("png") == 1024
    assert filetypes.max_bytes("pdf") == 20 * 1024 * 1024
    settings.ATTACHMENT_MAX_BYTES = 100
    assert filetypes.max_bytes("pdf") == 100  # never past the overall limit


def test_a_field_that_takes_images_and_pdf_refuses_a_text_file(english) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("签到表.txt", TEXT), accept=("image", "pdf"))
    assert "Accepted types: pdf, jpg, jpeg, png, gif, webp" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("签到表.jpg", TEXT), accept=("image", "pdf"))
    assert "not a .jpg file" in refused.value.messages[0]
    assert validate_upload(_upload("签到表.pdf", PDF), accept=("image", "pdf")) == "签到表.pdf"


def test_an_image_past_its_kind_limit_is_refused(english, settings) -> None:
    settings.UPLOAD_MAX_BYTES = {"image": 50}
    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("a.png", PNG))
    assert "too large" in refused.value.messages[0]
    assert validate_upload(_upload("a.pdf", PDF)) == "a.pdf"
