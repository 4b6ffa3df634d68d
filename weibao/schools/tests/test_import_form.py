"""The schools import form takes .xlsx, .xls and .csv, each checked by its content."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.datastructures import MultiValueDict

from weibao.schools.forms import SchoolImportForm
from weibao.testing import xlsx_upload

CSV = "学校名称,统一社会信用代码\n第一小学,\n".encode("gb18030")


def _form(name: str, content: bytes) -> SchoolImportForm:
    upload: UploadedFile = SimpleUploadedFile(name, content)
    files = MultiValueDict({"file": [upload]})
    return SchoolImportForm(data={}, files=files)


def test_a_csv_file_is_accepted() -> None:
    assert _form("学校.csv", CSV).is_valid()
    assert _form("学校.xlsx", xlsx_upload(["a"], [["b"]]).read()).is_valid()
    assert ".csv" in str(SchoolImportForm().fields["file"].help_text)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("学校.docx", b"PK\x03\x04" + b"0" * 40),
        ("学校.txt", CSV),
        ("学校.csv", b"\x89PNG\r\n\x1a\n"),
    ],
)
def test_other_files_are_refused(english, name: str, content: bytes) -> None:
    form = _form(name, content)
    assert not form.is_valid()
    assert form.errors["file"]
