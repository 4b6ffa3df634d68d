"""Excel in and out, shared by every import and export.

Reading streams rows with calamine (fast, and it hands back cells as values we turn into text, so
an ID number never becomes a float). Columns are found by their header, in Chinese or English, so
a template filled in either language imports. Validating a row is the importing app's business:
this module only reads, reports and writes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

MAX_ROWS = 200_000
# A double holds every whole number of up to 15 digits exactly; Excel shows 15 significant digits.
EXACT_DIGITS = 15


@dataclass(frozen=True)
class Column:
    """One column of an import or export: a key for the code, a translatable header."""

    key: str
    header: str | Promise
    required: bool = True
    example: str = ""
    width: int = 16
    # A code (ID number, credit code, phone): a number cell that cannot hold it exactly is an
    # error, never a rounded code, and a leading apostrophe (Excel's "keep as text") is dropped.
    code: bool = False

    def headers(self) -> set[str]:
        """The header in every language, so a file filled in either imports."""
        names = {str(self.header).strip()}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(self.header).strip())
        return names


@dataclass(frozen=True)
class RowError:
    """A problem in one row of an uploaded sheet: the row as Excel numbers it, the column, why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Report:
    """What an import found: the rows that passed, and the errors of those that did not."""

    good: list[tuple[int, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.errors


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as YYYY-MM-DD, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


class RowTexts(dict[str, str]):
    """One row's cells as text by column key, and the cells that could not be read as text."""

    def __init__(self, texts: dict[str, str], problems: dict[str, list[str]]) -> None:
        super().__init__(texts)
        self.problems = problems


def code_text(value: Any) -> tuple[str, str | None]:
    """A code cell as text, and why it cannot be trusted (None when it can).

    An 18-digit ID number typed into a number cell is stored as a rounded double
    (3.61025198501059E+17): turning it back into digits gives another number, which passes the
    check digit about one time in eleven. Only whole numbers of up to 15 digits survive.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return cell_text(value).lstrip("'").strip(), None
    if isinstance(value, float) and not value.is_integer():
        return cell_text(value), _("stored as a number, not as text: format the column as text")
    if abs(value) >= 10**EXACT_DIGITS:
        return cell_text(value), _(
            "stored as a number, so Excel kept only 15 digits of it: format the column as text "
            "and type the number again"
        )
    return cell_text(value), None


def check_row(check: Callable[[dict[str, str]], Any], texts: dict[str, str]) -> Any:
    """Run an importer's `check` on a row from read_rows, adding the cells read_rows refused:
    raises one ValidationError keyed by column key with every problem of the row."""
    problems = dict(getattr(texts, "problems", {}))
    try:
        value = check(texts)
    except ValidationError as exc:
        if not problems:
            raise
        for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            problems.setdefault(key, []).extend(m for m in messages if m not in problems[key])
    if problems:
        raise ValidationError(problems)
    return value


def read_rows(upload: IO[bytes], columns: Sequence[Column]) -> Iterator[tuple[int, RowTexts]]:
    """Yield (Excel row number, {column key: text}) for every non-empty row of the first sheet.

    A code column's cell that was stored as a rounded number is kept in the row's `problems`;
    `check_row` reports it as the row's error.

    Raises ValidationError when the file is not a spreadsheet, a required column is missing, or
    the sheet has more than MAX_ROWS rows.
    """
    try:
        workbook = CalamineWorkbook.from_filelike(upload)
        rows = workbook.get_sheet_by_index(0).iter_rows()
        header = [cell_text(value) for value in next(rows, [])]
    except (CalamineError, ValueError, OSError) as exc:
        raise ValidationError(
            _("The file could not be read as an Excel workbook (.xlsx or .xls).")
        ) from exc
    positions: dict[str, int] = {}
    for column in columns:
        names = column.headers()
        found = next((i for i, text in enumerate(header) if text in names), None)
        if found is not None:
            positions[column.key] = found
        elif column.required:
            raise ValidationError(
                _("The column “%(column)s” is missing from the first row.")
                % {"column": column.header}
            )
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError(
                _("The sheet has more than %(max)d rows; split it into several files.")
                % {"max": MAX_ROWS}
            )
        texts: dict[str, str] = {}
        problems: dict[str, list[str]] = {}
        for column in columns:
            index = positions.get(column.key)
            if index is None:
                continue
            value = values[index] if index < len(values) else None
            if column.code:
                texts[column.key], problem = code_text(value)
                if problem:
                    problems[column.key] = [problem]
            else:
                texts[column.key] = cell_text(value)
        if any(texts.values()):
            yield number, RowTexts(texts, problems)


def validate_rows(
    upload: IO[bytes],
    columns: Sequence[Column],
    check: Callable[[dict[str, str]], Any],
) -> Report:
    """Run `check` on every row; it returns the row's cleaned value or raises ValidationError
    keyed by column key. Collects good rows and row/column errors; writes nothing."""
    headers = {column.key: str(column.header) for column in columns}
    report = Report()
    for number, texts in read_rows(upload, columns):
        try:
            report.good.append((number, check_row(check, texts)))
        except ValidationError as exc:
            for key, messages in getattr(exc, "message_dict", {None: exc.messages}).items():
                column = headers.get(key or "", "")
                report.errors.extend(RowError(number, column, message) for message in messages)
    return report


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    text_rows: int = 0,
) -> bytes:
    """A one-sheet .xlsx: a bold header row, then the rows, stored as given (pass ID numbers as
    text). `text_rows` formats that many rows below the header as text, for a template: Excel
    would otherwise turn an 18-digit ID number into a rounded number."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_cells in sheet.iter_rows(min_row=2, max_row=text_rows + 1, max_col=len(headers)):
        for cell in row_cells:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_bytes(title: str, columns: Sequence[Column]) -> bytes:
    """A template to fill in: the headers in the user's language, one example row, and cells
    formatted as text so that long numbers stay exact."""
    return workbook_bytes(
        title,
        [str(column.header) for column in columns],
        [[column.example for column in columns]],
        [column.width for column in columns],
        text_rows=2000,
    )


def errors_bytes(errors: Sequence[RowError]) -> bytes:
    """The errors of an import as a sheet to fix the file by."""
    return workbook_bytes(
        _("Errors"),
        [_("Row"), _("Column"), _("Problem")],
        ([error.row, error.column, error.message] for error in errors),
        (8, 20, 60),
    )


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
