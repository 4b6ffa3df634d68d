from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from weibao.kit.spreadsheets import (
    Column,
    errors_bytes,
    read_rows,
    template_bytes,
    validate_rows,
)
from weibao.lib import idnumber

COLUMNS = [
    Column("name", gettext_lazy("Name"), example="张三"),
    Column("id_number", gettext_lazy("ID number"), example="11010519491231002X", width=22),
    Column("note", gettext_lazy("Notes"), required=False),
]


def xlsx(rows: list[list[Any]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_reads_by_header_in_either_language_and_keeps_whole_numbers_whole() -> None:
    # A 15-digit legacy ID number typed as a number is read back without ".0".
    upload = xlsx([["身份证号", "Name", "其他"], [110105491231002, "张三", "x"], [None, None]])
    rows = list(read_rows(upload, COLUMNS))
    assert rows == [(2, {"name": "张三", "id_number": "110105491231002"})]


def test_missing_required_column_is_reported() -> None:
    with pytest.raises(ValidationError, match="ID number"):
        list(read_rows(xlsx([["Name"], ["张三"]]), COLUMNS))


def test_not_a_workbook_is_refused() -> None:
    with pytest.raises(ValidationError, match="Excel"):
        list(read_rows(io.BytesIO(b"not a spreadsheet"), COLUMNS))


def check(texts: dict[str, str]) -> str:
    try:
        return idnumber.parse(texts["id_number"]).number
    except ValueError as exc:
        raise ValidationError({"id_number": [str(exc)]}) from exc


def test_validate_rows_names_row_and_column() -> None:
    upload = xlsx([["Name", "ID number"], ["张三", "11010519491231002X"], ["李四", "123"]])
    report = validate_rows(upload, COLUMNS, check)
    assert report.good == [(2, "11010519491231002X")]
    assert [(e.row, e.column) for e in report.errors] == [(3, "ID number")]
    assert "Row 3, ID number" in str(report.errors[0])
    assert not report.clean


def test_template_round_trips_through_the_reader() -> None:
    upload = io.BytesIO(template_bytes("Template", COLUMNS))
    rows = list(read_rows(upload, COLUMNS))
    assert rows == [(2, {"name": "张三", "id_number": "11010519491231002X", "note": ""})]
    sheet = load_workbook(io.BytesIO(template_bytes("T", COLUMNS))).active
    assert sheet is not None and sheet["B3"].number_format == "@"


def test_errors_sheet_lists_each_error() -> None:
    upload = xlsx([["Name", "ID number"], ["李四", "123"]])
    report = validate_rows(upload, COLUMNS, check)
    sheet = load_workbook(io.BytesIO(errors_bytes(report.errors))).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:2] == [2, "ID number"]


CODE_COLUMNS = [
    Column("name", gettext_lazy("Name")),
    Column("id_number", gettext_lazy("ID number"), code=True),
]


def _check_id(texts: dict[str, str]) -> str:
    try:
        return idnumber.parse(texts["id_number"]).number
    except ValueError as exc:
        raise ValidationError({"id_number": [str(exc)]}) from exc


def test_an_id_number_stored_as_a_number_is_a_row_error_never_another_id() -> None:
    # Excel keeps 15 significant digits: 361025198501059123 is stored as 3.61025198501059E+17,
    # which reads back as 361025198501059008 — a checksum-valid ID of somebody else.
    rounded = float("3.61025198501059E+17")
    assert idnumber.parse(str(int(rounded))).number == "361025198501059008"
    report = validate_rows(xlsx([["姓名", "身份证号"], ["张三", rounded]]), CODE_COLUMNS, _check_id)
    assert report.good == []
    [error] = report.errors
    assert (error.row, error.column) == (2, "ID number")
    assert "format the column as text" in error.message


def test_the_number_error_is_in_chinese_by_default() -> None:
    with translation.override("zh-hans"):
        report = validate_rows(
            xlsx([["姓名", "身份证号"], ["张三", 3.61025198501059e17]]), CODE_COLUMNS, _check_id
        )
    assert "文本" in report.errors[0].message


def test_a_fifteen_digit_number_cell_and_a_leading_apostrophe_are_read_exactly() -> None:
    upload = xlsx(
        [["姓名", "身份证号"], ["张三", 110105491231002], ["李四", "'11010519491231002X"]]
    )
    report = validate_rows(upload, CODE_COLUMNS, _check_id)
    assert report.errors == []
    assert [value for _row, value in report.good] == ["11010519491231002X", "11010519491231002X"]
