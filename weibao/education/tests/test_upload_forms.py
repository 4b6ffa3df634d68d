"""The sessions import takes .xlsx, .xls and .csv; a session's file is a photo or a PDF, both
checked by content (a 5 MB .txt is no "photo / sign-in sheet")."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weibao.core.models import Attachment
from weibao.education.forms import SessionFileForm, SessionImportForm

CSV = "学校,日期\n第一小学,2026-03-02\n".encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
TEXT = "签到：张三\n".encode() * 10


def test_the_import_takes_csv(liaison_a) -> None:
    form = SessionImportForm(
        user=liaison_a, data={}, files={"file": SimpleUploadedFile("a.csv", CSV)}
    )
    form.is_valid()
    assert "file" not in form.errors
    assert ".csv" in str(form.fields["file"].help_text)


@pytest.mark.parametrize("name", ["a.txt", "a.docx"])
def test_the_import_refuses_other_files(liaison_a, name: str) -> None:
    upload = SimpleUploadedFile(name, CSV)
    form = SessionImportForm(user=liaison_a, data={}, files={"file": upload})
    assert not form.is_valid() and form.errors["file"]


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [("签到.png", PNG, True), ("签到.txt", TEXT, False), ("签到.jpg", TEXT, False)],
)
def test_a_session_file_is_an_image_or_a_pdf(name: str, content: bytes, ok: bool) -> None:
    form = SessionFileForm(data={}, files={"file": SimpleUploadedFile(name, content)})
    assert form.is_valid() is ok


def test_the_page_refuses_a_text_file_as_a_sign_in_sheet(client_for, liaison_a, make_session):
    session = make_session()
    url = reverse("education:session_attach", args=[session.pk])
    response = client_for(liaison_a).post(url, {"file": SimpleUploadedFile("签到.txt", TEXT)})
    assert response.status_code == 400
    assert not Attachment.objects.exists()
