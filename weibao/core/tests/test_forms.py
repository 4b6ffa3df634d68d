"""AttachmentForm shows the upload checks' messages under its field."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from weibao.core.forms import AttachmentForm


def test_valid_upload() -> None:
    upload = SimpleUploadedFile("报告.pdf", b"%PDF-1.7\n")
    form = AttachmentForm(files=MultiValueDict({"file": [upload]}))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] is upload


def test_bad_upload_error_is_on_the_field(settings: Any) -> None:
    form = AttachmentForm(files=MultiValueDict({"file": [SimpleUploadedFile("run.exe", b"MZ")]}))

    assert not form.is_valid()
    assert list(form.errors) == ["file"]
    assert "not accepted" in form.errors["file"][0]


def test_help_text_names_the_limit(settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

    assert "5.0" in str(AttachmentForm().fields["file"].help_text)
