"""check_rows: every row through check_row, the errors by row and bounded, the good rows kept."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from weibao.kit.spreadsheets import Column, RowError, RowTexts, check_rows, read_rows

COLUMNS = [
    Column("name", "Name"),
    Column("age", "Age"),
    Column("id_number", "ID number", required=False, code=True),
]


def rows(*cells: tuple[str, str]) -> list[tuple[int, RowTexts]]:
    """Rows as read_rows yields them, numbered from 2."""
    return [
        (number, RowTexts({"name": name, "age": age}, {}))
        for number, (name, age) in enumerate(cells, start=2)
    ]


def whole_age(number: int, texts: dict[str, str]) -> tuple[int, str, int]:
    errors: dict[str, list[str]] = {}
    if not texts["name"]:
        errors["name"] = ["Give the name."]
    if not texts["age"].isdigit():
        errors["age"] = ["Not a whole number.", "Write it in digits."]
    if errors:
        raise ValidationError(errors)
    return number, texts["name"], int(texts["age"])


def test_good_rows_keep_their_number_and_value_and_bad_rows_name_row_and_header() -> None:
    checked = check_rows(rows(("甲", "7"), ("", "x"), ("乙", "9")), whole_age, COLUMNS, keep=10)
    assert checked.good == [(2, (2, "甲", 7)), (4, (4, "乙", 9))]
    assert checked.errors == [
        RowError(3, "Name", "Give the name."),
        RowError(3, "Age", "Not a whole number."),
        RowError(3, "Age", "Write it in digits."),
    ]
    assert checked.rows == 3


def test_errors_are_sorted_by_row_and_cut_at_keep() -> None:
    # Rows read out of order (a caller's own list): sorted, the order within a row kept.
    read = [
        (9, RowTexts({"name": "", "age": "x"}, {})),
        (3, RowTexts({"name": "", "age": "1"}, {})),
        (5, RowTexts({"name": "丙", "age": "x"}, {})),
    ]
    checked = check_rows(read, whole_age, COLUMNS, keep=4)
    assert [(e.row, e.column) for e in checked.errors] == [
        (3, "Name"),
        (5, "Age"),
        (5, "Age"),
        (9, "Name"),
    ]
    assert check_rows(read, whole_age, COLUMNS, keep=0).errors == []
    assert len(check_rows(read, whole_age, COLUMNS, keep=None).errors) == 6


def test_cells_the_reader_refused_are_the_rows_errors() -> None:
    read = [(2, RowTexts({"name": "甲", "age": "7"}, {"age": ["a formula, not a value"]}))]
    checked = check_rows(read, whole_age, COLUMNS, keep=10)
    assert checked.good == []
    assert checked.errors == [RowError(2, "Age", "a formula, not a value")]


def test_a_key_that_is_no_column_and_an_error_without_keys_have_no_header() -> None:
    def check(number: int, texts: dict[str, str]) -> Any:
        if number == 2:
            raise ValidationError({"school": ["The school is closed."]})
        raise ValidationError("Not this row.")

    checked = check_rows(rows(("甲", "7"), ("乙", "8")), check, COLUMNS, keep=10)
    assert checked.errors == [
        RowError(2, "", "The school is closed."),
        RowError(3, "", "Not this row."),
    ]


def test_the_check_is_given_each_rows_number_in_turn() -> None:
    seen: list[int] = []

    def check(number: int, texts: dict[str, str]) -> str:
        seen.append(number)
        return texts["name"]

    checked = check_rows(rows(("甲", "1"), ("乙", "2")), check, COLUMNS, keep=1)
    assert seen == [2, 3]
    assert checked.good == [(2, "甲"), (3, "乙")]
    assert checked.errors == []


def test_with_read_rows_a_rounded_code_is_a_row_error() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Name", "Age", "ID number"], ["甲", "7", 361025198501059000], ["乙", "8", "1"]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    checked = check_rows(read_rows(buffer, COLUMNS), whole_age, COLUMNS, keep=10)
    assert checked.good == [(3, (3, "乙", 8))]
    assert [(e.row, e.column) for e in checked.errors] == [(2, "ID number")]


@pytest.mark.parametrize("keep", [1, 2])
def test_the_good_rows_are_all_kept_whatever_the_bound(keep: int) -> None:
    checked = check_rows(
        rows(("", "x"), ("甲", "1"), ("", "y"), ("乙", "2")), whole_age, COLUMNS, keep=keep
    )
    assert [number for number, _value in checked.good] == [3, 5]
    assert len(checked.errors) == keep
