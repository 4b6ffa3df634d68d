"""The staff checks' sheet uploads take .xlsx, .xls and .csv, each checked by its content."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.staffchecks.forms import SpreadsheetForm
from weibao.testing import xlsx_upload

CSV = "\ufeff姓名,身份证号\n张三,'361025198501010011\n".encode()


def _form(name: str, content: bytes) -> SpreadsheetForm:
    return SpreadsheetForm(data={}, files={"file": SimpleUploadedFile(name, content)})


def test_csv_and_excel_are_accepted() -> None:
    assert _form("花名册.csv", CSV).is_valid()
    assert _form("花名册.xlsx", xlsx_upload(["a"], [["b"]]).read()).is_valid()
    assert ".csv" in str(SpreadsheetForm().fields["file"].help_text)
    assert SpreadsheetForm().fields["file"].widget.attrs["accept"] == ".xlsx,.xls,.csv"


@pytest.mark.parametrize(
    ("name", "content"),
    [("花名册.pdf", b"%PDF-1.4 x"), ("花名册.txt", CSV), ("花名册.xlsx", CSV)],
)
def test_other_files_are_refused(english, name: str, content: bytes) -> None:
    form = _form(name, content)
    assert not form.is_valid()
    assert form.errors["file"]
