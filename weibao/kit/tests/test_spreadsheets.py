from __future__ import annotations

import datetime as dt
import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook, load_workbook

from weibao.kit.spreadsheets import (
    Column,
    check_import_name,
    errors_bytes,
    read_rows,
    template_bytes,
    validate_rows,
)
from weibao.lib import idnumber

COLUMNS = [
    Column("name", pgettext_lazy("person", "Name"), example="张三"),
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
    Column("name", pgettext_lazy("person", "Name")),
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


# Hardening (issue 12): the declared-range bomb, hidden sheets, apostrophes, serial dates, CSV,
# formulas and full-width spaces. ---------------------------------------------------------------

PEOPLE = [
    Column("name", pgettext_lazy("person", "Name"), person_name=True),
    Column("id_number", gettext_lazy("ID number"), code=True),
    Column("start", pgettext_lazy("employment", "Start date"), required=False, date=True),
    Column("note", gettext_lazy("Notes"), required=False),
]


def _edit_sheet(upload: io.BytesIO, edit: Callable[[bytes], bytes], part: str = "") -> io.BytesIO:
    """The workbook with one part's XML edited (the first sheet's unless told)."""
    part = part or "xl/worksheets/sheet1.xml"
    source = zipfile.ZipFile(upload)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, edit(data) if info.filename == part else data)
    out.seek(0)
    return out


def _bomb(declared: str = "", far_cell: str = "") -> io.BytesIO:
    def edit(xml: bytes) -> bytes:
        if declared:
            xml = re.sub(
                rb'<dimension ref="[^"]*"/>', f'<dimension ref="{declared}"/>'.encode(), xml
            )
        if far_cell:
            row = re.sub(r"\D", "", far_cell)
            cell = f'<row r="{row}"><c r="{far_cell}" t="n"><v>1</v></c></row>'
            xml = xml.replace(b"</sheetData>", cell.encode() + b"</sheetData>")
        return xml

    return _edit_sheet(xlsx([["Name", "ID number"], ["张三", "11010519491231002X"]]), edit)


@pytest.mark.parametrize(
    ("declared", "far_cell"),
    [("A1:XFD1048576", ""), ("", "XFD1048576"), ("", "A300000"), ("", "GS2"), ("A1:B3", "ZZ9")],
)
def test_a_huge_declared_or_used_range_is_refused_fast_and_in_bounded_memory(
    declared: str, far_cell: str
) -> None:
    upload = _bomb(declared, far_cell)
    assert len(upload.getvalue()) < 10_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ValidationError, match="split it into several files"):
            list(read_rows(upload, COLUMNS))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 50 * 1024 * 1024


def test_the_limits_are_settings(settings: Any) -> None:
    settings.SPREADSHEET_MAX_ROWS = 2
    rows = [["Name", "ID number"]] + [["张三", "11010519491231002X"]] * 3
    with pytest.raises(ValidationError, match="limit is 2 rows"):
        list(read_rows(xlsx(rows), COLUMNS))
    assert len(list(read_rows(xlsx(rows[:3]), COLUMNS))) == 2
    settings.SPREADSHEET_MAX_COLUMNS = 3
    with pytest.raises(ValidationError, match="column 4"):
        list(read_rows(xlsx([["Name", "ID number", "x", "y"]]), COLUMNS))
    with pytest.raises(ValidationError, match="split it"):
        list(read_rows(csv_upload("Name,ID number\n张三,1\n张三,2\n张三,3\n"), COLUMNS))


def test_a_sheet_without_cell_references_is_still_measured(settings: Any) -> None:
    settings.SPREADSHEET_MAX_COLUMNS = 3

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb' r="[A-Z]+\d+"', b"", xml)  # cells in order, no reference: allowed
        return xml.replace(b"</row>", b'<c t="n"><v>1</v></c><c t="n"><v>1</v></c></row>', 1)

    with pytest.raises(ValidationError, match="column 4"):
        list(read_rows(_edit_sheet(xlsx([["Name", "ID number"]]), edit), COLUMNS))


def workbook(*sheets: tuple[str, str], active: int = 0) -> io.BytesIO:
    """Sheets titled and in the state given, each with one row naming the sheet."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        sheet.append(["Name", "ID number"])
        sheet.append([title, "11010519491231002X"])
    book.active = active
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("sheets", "active", "read"),
    [
        ((("hidden", "hidden"), ("shown", "visible")), 1, "shown"),
        ((("one", "visible"), ("two", "visible"), ("three", "visible")), 1, "two"),
        ((("secret", "veryHidden"), ("first", "visible"), ("second", "visible")), 0, "first"),
    ],
)
def test_the_sheet_the_user_sees_is_read(
    sheets: tuple[tuple[str, str], ...], active: int, read: str
) -> None:
    rows = list(read_rows(workbook(*sheets, active=active), COLUMNS))
    assert [texts["name"] for _number, texts in rows] == [read]


def test_a_workbook_with_no_visible_sheet_is_refused() -> None:
    upload = _edit_sheet(
        workbook(("a", "visible")),
        lambda xml: xml.replace(b'state="visible"', b'state="hidden"'),
        "xl/workbook.xml",
    )
    with pytest.raises(ValidationError, match="no visible sheet"):
        list(read_rows(upload, COLUMNS))


@pytest.mark.parametrize("mark", ["'", "‘", "’", "＇"])
def test_a_leading_apostrophe_is_not_part_of_a_code_or_a_date(mark: str) -> None:
    upload = xlsx(
        [
            ["Name", "ID number", "Start date"],
            ["张三", f"{mark}11010519491231002X", f"{mark}2023-09-01"],
        ]
    )
    [(_number, texts)] = read_rows(upload, PEOPLE)
    assert texts["id_number"] == "11010519491231002X"
    assert texts["start"] == "2023-09-01"


def test_an_excel_date_number_is_read_as_its_date() -> None:
    upload = xlsx(
        [
            ["Name", "ID number", "Start date", "Notes"],
            ["张三", "1", 45170, 45170],
            ["李四", "2", "45170", "45170"],
            ["王五", "3", dt.datetime(2023, 9, 1), ""],
            ["赵六", "4", "2023-09-01", ""],
            ["钱七", "5", 2023, ""],  # a year, not a serial number: left for the importer
        ]
    )
    rows = [texts for _number, texts in read_rows(upload, PEOPLE)]
    assert [texts["start"] for texts in rows] == ["2023-09-01"] * 4 + ["2023"]
    assert rows[0]["note"] == rows[1]["note"] == "45170"


def test_a_1904_workbook_counts_serial_dates_from_1904() -> None:
    upload = _edit_sheet(
        xlsx([["Name", "ID number", "Start date"], ["张三", "1", 43708]]),
        lambda xml: xml.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>'),
        "xl/workbook.xml",
    )
    [(_number, texts)] = read_rows(upload, PEOPLE)
    assert texts["start"] == "2023-09-01"


def csv_upload(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.replace("\n", "\r\n").encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_a_csv_file_is_read_like_a_sheet_in_any_encoding_wps_saves(encoding: str) -> None:
    text = (
        "姓名,身份证号,入职日期,备注\n"
        '张三,\'11010519491231002X,45170,"一行, 带逗号"\n'
        ",,,\n"
        "李四,123,2024-09-01,\n"
    )
    report = validate_rows(csv_upload(text, encoding), PEOPLE, _check_id)
    assert [(number, value) for number, value in report.good] == [(2, "11010519491231002X")]
    assert [(e.row, e.column) for e in report.errors] == [(4, "ID number")]
    [(_number, texts), _second] = read_rows(csv_upload(text, encoding), PEOPLE)
    assert texts == {
        "name": "张三",
        "id_number": "11010519491231002X",
        "start": "2023-09-01",
        "note": "一行, 带逗号",
    }


def test_a_csv_file_missing_a_column_or_not_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="ID number"):
        list(read_rows(csv_upload("Name,Notes\n张三,x\n"), PEOPLE))
    with pytest.raises(ValidationError, match="CSV"):
        list(read_rows(io.BytesIO(b"\x00\x01\x02 binary"), PEOPLE))
    with pytest.raises(ValidationError, match="CSV"):
        list(read_rows(io.BytesIO(b"\xff\xfe\xfd not text in any encoding \x81"), PEOPLE))


def test_import_names_accept_csv_and_excel_only() -> None:
    for name in ("a.xlsx", "B.XLS", "名单.csv"):
        check_import_name(name)
    for name in ("a.txt", "csv", "a.xlsx.exe"):
        with pytest.raises(ValidationError, match=r"\.csv"):
            check_import_name(name)


def test_a_formula_without_a_value_is_a_row_error_not_an_empty_cell() -> None:
    upload = xlsx([["Name", "ID number"], ["张三", '="11010519491231002X"']])
    report = validate_rows(upload, CODE_COLUMNS, _check_id)
    assert report.good == []
    [error] = report.errors
    assert (error.row, error.column) == (2, "ID number")
    assert "formula" in error.message and "paste it as values" in error.message


def test_a_formula_excel_saved_with_its_value_reads_the_value() -> None:
    upload = _edit_sheet(
        xlsx([["Name", "ID number"], ["张三", "=B3"], ["李四", "11010519491231002X"]]),
        lambda xml: xml.replace(b"<f>B3</f><v></v>", b"<f>B3</f><v>11010519491231002X</v>").replace(
            b'<c r="B2">', b'<c r="B2" t="str">'
        ),
    )
    report = validate_rows(upload, CODE_COLUMNS, _check_id)
    assert report.errors == []
    assert [value for _row, value in report.good] == ["11010519491231002X"] * 2


def test_the_formula_error_is_in_chinese_by_default() -> None:
    upload = xlsx([["姓名", "身份证号"], ["张三", "=A1"]])
    with translation.override("zh-hans"):
        report = validate_rows(upload, CODE_COLUMNS, _check_id)
        english = "a formula, not a value: copy the column and paste it as values"
        if translation.gettext(english) == english:
            pytest.skip("the zh_Hans catalogue does not have this message yet")
    assert "公式" in report.errors[0].message


def test_a_full_width_space_inside_a_name_is_a_row_error_never_changed() -> None:
    upload = xlsx(
        [
            ["Name", "ID number", "Notes"],
            ["张　三", "11010519491231002X", ""],
            ["\u3000李四 ", "11010519491231002X", "两个　字"],
        ]
    )
    report = validate_rows(upload, PEOPLE, _check_id)
    [error] = report.errors
    assert (error.row, error.column) == (2, "Name")
    assert "full-width space" in error.message
    rows = dict(
        read_rows(xlsx([["Name", "ID number", "Notes"], ["\u3000李四 ", "1", "两个　字"]]), PEOPLE)
    )
    assert rows[2]["name"] == "李四"  # only the spaces around it go
    assert rows[2]["note"] == "两个　字"  # kept as typed
