"""Excel (and CSV) in and out, shared by every import and export.

Reading streams rows with calamine (fast, and it hands back cells as values we turn into text, so
an ID number never becomes a float). Columns are found by their header, in Chinese or English, so
a template filled in either language imports. Validating a row is the importing app's business:
this module only reads, reports and writes.

What is read, and the limits (each a Django setting; the default in brackets):

- The sheet the user sees: the workbook's active sheet, or the first visible one when the active
  sheet is hidden; a hidden or "very hidden" sheet is never read.
- An .xlsx is checked before calamine loads it, by streaming its XML: the sheet's declared range
  (``<dimension ref="A1:XFD1048576">``) and the cells it really has must stay within
  ``SPREADSHEET_MAX_ROWS`` data rows [200,000], ``SPREADSHEET_MAX_COLUMNS`` columns [200] and
  ``SPREADSHEET_MAX_CELLS`` cells of the rectangle from A1 to the last cell [5,000,000]
  (calamine allocates that whole rectangle), and the unpacked XML must stay within
  ``SPREADSHEET_MAX_UNPACKED_BYTES`` [400 MB]. A 2 KB file declaring a million rows is refused in
  milliseconds. An .xls cannot be larger than 65,536 x 256 cells by its format; its rows are
  checked against the same row limit.
- A CSV file (as Excel or WPS saves it: UTF-8 with or without a BOM, GBK/GB18030, or UTF-16) is
  read like a sheet, the encoding found from the bytes; the same row and column limits apply.
- A code column (ID number, credit code, phone) drops a leading apostrophe (Excel's "keep as
  text" marker, or the curly one a Chinese input method types); a number cell that cannot hold
  the code exactly is a row error.
- A date column also accepts an Excel date serial number (45170 is 2023-09-01), as a number or
  as text, from 10000 (1927-05-18) to 99999; real date cells and text dates are passed on.
- A formula cell with no stored value (a file written by a program rather than Excel) is a row
  error "a formula, not a value", never an empty cell.
- A person's name keeps what was typed; only spaces before and after are removed. A full-width
  space inside it is a row error, never silently changed.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import IO, Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELLS = 5_000_000
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
# A double holds every whole number of up to 15 digits exactly; Excel shows 15 significant digits.
EXACT_DIGITS = 15
# The extensions an import accepts (a form checks the name with check_import_name).
IMPORT_EXTENSIONS = ("xlsx", "xls", "csv")
# Excel's text marker, and the curly and full-width ones a Chinese input method types instead.
APOSTROPHES = "'\u2018\u2019\uff07"
FULL_WIDTH_SPACE = "\u3000"
# Excel date serial numbers accepted in a date column: 1927-05-18 to 2173-10-14.
SERIAL_DATES = range(10_000, 100_000)

T = TypeVar("T")


def limit(name: str) -> int:
    """One of the reading limits: the setting SPREADSHEET_<name>, or the default above."""
    return int(getattr(settings, f"SPREADSHEET_{name}", globals()[name]))


def check_import_name(name: str) -> None:
    """Refuse an upload for an import whose name is not .xlsx, .xls or .csv (for a form)."""
    if name.rsplit(".", 1)[-1].lower() not in IMPORT_EXTENSIONS or "." not in name:
        raise ValidationError(
            _("Upload an Excel workbook or a CSV file (.xlsx, .xls or .csv)."), code="extension"
        )


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
    # A date: an Excel date serial number (45170) is read as the date it stands for.
    date: bool = False
    # A person's name: a full-width space inside it is an error, never silently changed.
    person_name: bool = False

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
        return cell_text(value).lstrip(APOSTROPHES).strip(), None
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
    problems = {key: list(messages) for key, messages in getattr(texts, "problems", {}).items()}
    try:
        value = check(texts)
    except ValidationError as exc:
        if not problems:
            raise
        # A cell the reader refused is reported for why; what the check made of it is noise.
        for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            if key not in problems:
                problems[key] = list(messages)
    if problems:
        raise ValidationError(problems)
    return value


class _Refused(Exception):
    """The file is not one we can read: the generic 'could not be read' answer."""


def _unreadable() -> ValidationError:
    return ValidationError(
        _("The file could not be read as an Excel workbook (.xlsx or .xls) or a CSV file."),
        code="unreadable",
    )


def _too_large(sheet: str, rows: int, columns: int) -> ValidationError:
    return ValidationError(
        _(
            "The sheet “%(sheet)s” reaches row %(rows)d and column %(columns)d; the limit is "
            "%(max_rows)d rows of data, %(max_columns)d columns and %(max_cells)d cells. Delete "
            "the empty rows and columns after the data, or split it into several files."
        )
        % {
            "sheet": sheet,
            "rows": rows,
            "columns": columns,
            "max_rows": limit("MAX_ROWS"),
            "max_columns": limit("MAX_COLUMNS"),
            "max_cells": limit("MAX_CELLS"),
        },
        code="too_large",
    )


def _too_many_bytes() -> ValidationError:
    return ValidationError(
        _("The workbook is too large once unpacked; split it into several files."),
        code="too_large",
    )


def _within(rows: int, columns: int) -> bool:
    """Whether a sheet reaching this row and column (1-based, header included) may be read."""
    return (
        rows <= limit("MAX_ROWS") + 1
        and columns <= limit("MAX_COLUMNS")
        and rows * columns <= limit("MAX_CELLS")
    )


@dataclass
class _Sheet:
    """The sheet to read: its rows of raw values (from row 1, column A), the cells that hold a
    formula (0-based row, column), and whether serial dates count from 1904."""

    name: str
    rows: Iterator[list[Any]]
    formulas: set[tuple[int, int]] = field(default_factory=set)
    date1904: bool = False
    csv: bool = False


_ELEMENT = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(sheet|workbookView|workbookPr|Relationship)\b([^>]*)>"
)
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(dimension|row|c|f)\b([^>]*)>")
_ATTR_R = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)["']""")
_ATTR_REF = re.compile(rb"""\sref\s*=\s*["']([^"']*)["']""")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
# The fast path: rows and cells as Excel, WPS and openpyxl write them, the reference first.
_ROW_NUMBERS = re.compile(rb'<row r="(\d+)"')
_CELL_REFS = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_ROW_AND_CELL_TAGS = re.compile(rb"<(row|c)[\s>/]")


def _prefixed(piece: bytes) -> bool:
    """Whether the piece may name its tags with a namespace prefix (then: the slow path)."""
    return b":c" in piece or b":row" in piece or b":dim" in piece


def _has_formula(piece: bytes) -> bool:
    """Whether the piece may hold a formula (a false alarm only costs the slow path)."""
    return b"<f" in piece or b":f>" in piece or b":f " in piece


_DIMENSION = re.compile(rb"<dimension\b([^>]*)>")
CHUNK_BYTES = 1 << 20


def _column_number(letters: bytes | str) -> int:
    number = 0
    for char in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(char) - 64
    return number


def _elements(xml: bytes) -> Iterator[tuple[str, dict[str, str]]]:
    """The workbook's few elements we need, with their attributes (XML entities decoded)."""
    for match in _ELEMENT.finditer(xml):
        attrs = {
            key.decode("utf-8", "replace"): html.unescape(
                (double if double is not None else single).decode("utf-8", "replace")
            )
            for key, double, single in _ATTRIBUTE.findall(match.group(2))
        }
        yield match.group(1).decode(), attrs


def _read_member(archive: zipfile.ZipFile, name: str, budget: list[int]) -> bytes:
    """A small part of the workbook, within the unpacked budget."""
    with archive.open(name) as member:
        data = member.read(budget[0] + 1)
    budget[0] -= len(data)
    if budget[0] < 0:
        raise _too_many_bytes()
    return data


def _drain(archive: zipfile.ZipFile, name: str, budget: list[int]) -> None:
    """Unpack a part without keeping it, to know it fits the budget before calamine loads it."""
    with archive.open(name) as member:
        while chunk := member.read(CHUNK_BYTES):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _too_many_bytes()


def _scan_sheet(
    archive: zipfile.ZipFile, path: str, name: str, budget: list[int]
) -> set[tuple[int, int]]:
    """Stream the sheet's XML: refuse it when its declared range or its cells go past the
    limits, before anything is allocated for them; return the cells that hold a formula.

    A piece of XML whose rows and cells all carry their reference (as Excel, WPS and openpyxl
    write them) and holds no formula is checked with a few regular expressions; any other is
    walked tag by tag, counting the cells that leave their position implicit."""
    formulas: set[tuple[int, int]] = set()
    state = [0, 0, 0, 0]  # current row, current column, last row, last column (1-based)
    tail = b""
    with archive.open(path) as member:
        while True:
            chunk = member.read(CHUNK_BYTES)
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _too_many_bytes()
            data = tail + chunk
            cut = data.rfind(b"row>") + 4 if chunk else len(data)
            fast = cut >= 4
            if not fast:
                cut = data.rfind(b"<")
                if cut <= 0 and len(data) < 16 * CHUNK_BYTES:
                    tail = data
                    continue
                cut = max(cut, 0)
            piece = data[:cut]
            if not (fast and not _has_formula(piece) and _scan_fast(piece, name, state)):
                _scan_slow(piece, name, state, formulas)
            if not chunk:
                break
            tail = data[cut:]
    return formulas


def _check_extent(name: str, state: list[int], row: int, col: int) -> None:
    if row > state[2] or col > state[3]:
        state[2], state[3] = max(row, state[2]), max(col, state[3])
        if not _within(state[2], state[3]):
            raise _too_large(name, state[2], state[3])


def _check_dimension(name: str, attrs: bytes) -> None:
    found = _ATTR_REF.search(attrs)
    corners = found.group(1).decode("ascii", "replace").split(":") if found else []
    parsed = [_REF.match(corner) for corner in corners]
    if parsed and all(parsed):
        rows = max(int(m.group(2)) for m in parsed if m)
        cols = max(_column_number(m.group(1)) for m in parsed if m)
        if not _within(rows, cols):
            raise _too_large(name, rows, cols)


def _scan_fast(piece: bytes, name: str, state: list[int]) -> bool:
    """Check a piece whose every row and cell names its place; False when one does not."""
    rows = _ROW_NUMBERS.findall(piece)
    cells = _CELL_REFS.findall(piece)
    tags = _ROW_AND_CELL_TAGS.findall(piece)
    row_tags = tags.count(b"row")
    if len(rows) != row_tags or len(cells) != len(tags) - row_tags or _prefixed(piece):
        return False  # a prefixed tag, or a row or cell without its reference first
    for dimension in _DIMENSION.finditer(piece):
        _check_dimension(name, dimension.group(1))
    last_row = max((int(number) for number in set(rows)), default=0)
    if cells:
        letters = max({ref[0] for ref in cells}, key=lambda text: (len(text), text))
        last_row = max(last_row, *(int(number) for number in {ref[1] for ref in cells}))
        _check_extent(name, state, last_row, _column_number(letters))
    if rows:
        state[0], state[1] = int(rows[-1]), 0
        _check_extent(name, state, last_row, 0)
    return True


def _scan_slow(piece: bytes, name: str, state: list[int], formulas: set[tuple[int, int]]) -> None:
    """Check a piece tag by tag."""
    for match in _TAG.finditer(piece):
        tag, attrs = match.group(1), match.group(2)
        if tag == b"c":
            found = _ATTR_R.search(attrs)
            state[1] = _column_number(found.group(1)) if found and found.group(1) else state[1] + 1
            if found and found.group(2):
                state[0] = max(state[0], int(found.group(2)))
            _check_extent(name, state, state[0], state[1])
        elif tag == b"row":
            found = _ATTR_R.search(attrs)
            state[0] = int(found.group(2)) if found and found.group(2) else state[0] + 1
            state[1] = 0
            _check_extent(name, state, state[0], 0)
        elif tag == b"f":
            formulas.add((state[0] - 1, state[1] - 1))
        else:
            _check_dimension(name, attrs)


def _xlsx_sheet(raw: bytes) -> tuple[str, set[tuple[int, int]], bool]:
    """Choose the sheet of an .xlsx the user sees and check it: (its name, its formula cells,
    whether dates count from 1904)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        budget = [limit("MAX_UNPACKED_BYTES")]
        if sum(info.file_size for info in archive.infolist()) > budget[0]:
            raise _too_many_bytes()
        if "xl/workbook.xml" not in names:
            raise _Refused
        book = _read_member(archive, "xl/workbook.xml", budget)
        rels = b""
        if "xl/_rels/workbook.xml.rels" in names:
            rels = _read_member(archive, "xl/_rels/workbook.xml.rels", budget)
        if b"<!DOCTYPE" in book or b"<!DOCTYPE" in rels:
            raise _Refused  # never in a workbook; entities are how XML bombs are built
        targets = {
            attrs.get("Id", ""): attrs.get("Target", "")
            for tag, attrs in _elements(rels)
            if tag == "Relationship"
        }
        sheets: list[tuple[str, bool, str]] = []
        active = 0
        date1904 = False
        for tag, attrs in _elements(book):
            if tag == "sheet":
                rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
                visible = attrs.get("state", "visible") == "visible"
                sheets.append((attrs.get("name", ""), visible, targets.get(rid, "")))
            elif tag == "workbookView" and not active:
                active = int(attrs.get("activeTab", "0") or 0)
            elif tag == "workbookPr":
                date1904 = attrs.get("date1904", "0").lower() in ("1", "true")
        visible_sheets = [sheet for sheet in sheets if sheet[1]]
        if not visible_sheets:
            raise ValidationError(_("The workbook has no visible sheet."), code="no_sheet")
        name, _visible, target = (
            sheets[active] if 0 <= active < len(sheets) and sheets[active][1] else visible_sheets[0]
        )
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        path = posixpath.normpath(path)
        if path not in names:
            raise _Refused
        formulas = _scan_sheet(archive, path, name, budget)
        if "xl/sharedStrings.xml" in names:
            _drain(archive, "xl/sharedStrings.xml", budget)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _Refused from exc
    return name, formulas, date1904


def _calamine_sheet(raw: bytes, xlsx: bool) -> _Sheet:
    """The sheet of an .xlsx or .xls to read, loaded by calamine once it is known to fit."""
    name, formulas, date1904 = _xlsx_sheet(raw) if xlsx else ("", set(), False)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        if not xlsx:  # .xls: the first visible sheet (calamine does not tell the active one)
            shown = [
                sheet.name
                for sheet in workbook.sheets_metadata
                if sheet.visible == SheetVisibleEnum.Visible
            ]
            if not shown:
                raise ValidationError(_("The workbook has no visible sheet."), code="no_sheet")
            name = shown[0]
        sheet = workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError, OSError) as exc:
        raise _Refused from exc
    if not xlsx and not _within(sheet.total_height, sheet.total_width):
        raise _too_large(name, sheet.total_height, sheet.total_width)
    pad = [None] * sheet.start[1] if sheet.start else []
    rows = ((pad + row) if pad else row for row in sheet.iter_rows())
    return _Sheet(name, rows, formulas, date1904)


def _decode_text(raw: bytes) -> str:
    """A CSV file's text: UTF-16 by its BOM, else UTF-8 (BOM or not), else GB18030 (GBK)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _Refused


def _csv_sheet(raw: bytes) -> _Sheet:
    text = _decode_text(raw)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        widest = 0
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for count, record in enumerate(records, start=1):
            widest = max(widest, len(record))
            if not _within(count, widest):
                raise _too_large("CSV", count, widest)
    except csv.Error as exc:
        raise _Refused from exc
    rows = (list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _Sheet("CSV", rows, csv=True)


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_sheet(upload: IO[bytes]) -> _Sheet:
    """The sheet the user sees, checked against the limits before it is loaded.

    Raises ValidationError when the file is not a spreadsheet or goes past a limit."""
    if hasattr(upload, "seek"):
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    try:
        raw = upload.read()
        if raw.startswith(b"PK\x03\x04"):
            return _calamine_sheet(raw, xlsx=True)
        if raw.startswith(OLE2):
            return _calamine_sheet(raw, xlsx=False)
        return _csv_sheet(raw)
    except (_Refused, OSError) as exc:
        raise _unreadable() from exc


def serial_date(value: Any, date1904: bool = False) -> str | None:
    """The date an Excel serial number stands for (45170 is 2023-09-01), as YYYY-MM-DD; None when
    the value is not a serial number in SERIAL_DATES."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{5}(\.0+)?", text):
            return None
        value = float(text)
    if not isinstance(value, int | float) or int(value) not in SERIAL_DATES:
        return None
    epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    return (epoch + dt.timedelta(days=int(value))).isoformat()


def _column_text(column: Column, value: Any, sheet: _Sheet) -> tuple[str, str | None]:
    """One cell as text for its column, and why it cannot be used (None when it can)."""
    if column.code:
        return code_text(value)
    if column.date:
        text = cell_text(value).lstrip(APOSTROPHES).strip()
        return serial_date(value, sheet.date1904) or text, None
    text = cell_text(value)
    if column.person_name and FULL_WIDTH_SPACE in text:
        return text, _(
            "The name contains a full-width space: delete it, or type the name as on the ID card."
        )
    return text, None


def read_rows(upload: IO[bytes], columns: Sequence[Column]) -> Iterator[tuple[int, RowTexts]]:
    """Yield (Excel row number, {column key: text}) for every non-empty row of the sheet the user
    sees (an .xlsx, an .xls or a CSV file; see the module's docstring for what is read how).

    A cell that cannot be used as it stands (a code stored as a rounded number, a formula with
    no value, a full-width space inside a name) is kept in the row's `problems`; `check_row`
    reports it as the row's error.

    Raises ValidationError when the file is not a spreadsheet, a required column is missing, or
    the sheet goes past a limit.
    """
    sheet = open_sheet(upload)
    try:
        header = [cell_text(value) for value in next(sheet.rows, [])]
    except (CalamineError, ValueError, OSError) as exc:
        raise _unreadable() from exc
    positions: dict[str, int] = {}
    for column in columns:
        names = column.headers()
        found = next((i for i, text in enumerate(header) if text in names), None)
        if found is not None:
            positions[column.key] = found
    if sheet.csv and not positions:
        raise _unreadable()  # text with none of the columns: not a CSV file of this import
    for column in columns:
        if column.required and column.key not in positions:
            raise ValidationError(
                _("The column “%(column)s” is missing from the first row.")
                % {"column": column.header}
            )
    max_rows = limit("MAX_ROWS")
    for number, values in enumerate(sheet.rows, start=2):
        if number - 1 > max_rows:
            raise ValidationError(
                _("The sheet has more than %(max)d rows; split it into several files.")
                % {"max": max_rows}
            )
        texts: dict[str, str] = {}
        problems: dict[str, list[str]] = {}
        for column in columns:
            index = positions.get(column.key)
            if index is None:
                continue
            value = values[index] if index < len(values) else None
            texts[column.key], problem = _column_text(column, value, sheet)
            if not texts[column.key] and (number - 1, index) in sheet.formulas:
                problem = _("a formula, not a value: copy the column and paste it as values")
            if problem:
                problems[column.key] = [problem]
        if any(texts.values()) or problems:
            yield number, RowTexts(texts, problems)


@dataclass
class Checked(Generic[T]):
    """What `check_rows` found: the rows that passed, as (Excel row number, the check's value),
    the problems of the others by row (at most `keep` of them), and how many rows were read."""

    good: list[tuple[int, T]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


def check_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    check: Callable[[int, dict[str, str]], T],
    columns: Sequence[Column],
    *,
    keep: int | None,
) -> Checked[T]:
    """Run `check(number, texts)` on every row from read_rows, through `check_row` (so the cells
    the reader refused are reported too); it returns the row's value or raises ValidationError
    keyed by column key. Returns the good rows and the errors, each named by its column's header
    ("" for a key that is no column), sorted by row and cut to the first `keep` (None: all).

    Writes nothing: whether the good rows are written when others are bad is the caller's."""
    headers = {column.key: str(column.header) for column in columns}
    checked: Checked[T] = Checked()
    for number, texts in rows:
        checked.rows += 1
        try:
            checked.good.append((number, check_row(partial(check, number), texts)))
        except ValidationError as exc:
            for key, messages in getattr(exc, "message_dict", {None: exc.messages}).items():
                column = headers.get(key or "", "")
                checked.errors.extend(RowError(number, column, message) for message in messages)
    checked.errors.sort(key=lambda error: error.row)
    if keep is not None:
        del checked.errors[keep:]
    return checked


def validate_rows(
    upload: IO[bytes],
    columns: Sequence[Column],
    check: Callable[[dict[str, str]], Any],
) -> Report:
    """Run `check` on every row; it returns the row's cleaned value or raises ValidationError
    keyed by column key. Collects good rows and every row/column error; writes nothing."""
    checked = check_rows(
        read_rows(upload, columns), lambda _number, texts: check(texts), columns, keep=None
    )
    return Report(good=checked.good, errors=checked.errors)


# A text cell starting with one of these is a formula to Excel, WPS and LibreOffice (tab and
# carriage return too, once a CSV is opened): "=HYPERLINK(...)" in a child's name would run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value as an export writes it: text that would start a formula is kept as text, behind
    an apostrophe (as Primero and OWASP do); numbers, dates and other text are unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class ExportBook:
    """A streamed (write-only) workbook for a large export, every cell through `safe_cell`::

    book = ExportBook()
    sheet = book.sheet(_("People"))
    sheet.append([...])
    content = book.bytes()
    """

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def sheet(self, title: str) -> _SafeSheet:
        return _SafeSheet(self.workbook.create_sheet(str(title)[:31]))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


class _SafeSheet:
    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def append(self, row: Iterable[Any]) -> None:
        self._sheet.append(safe_row(row))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file as Excel and WPS open it (UTF-8 with a BOM), every cell through `safe_cell`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(safe_row(headers))
    for row in rows:
        writer.writerow(safe_row(cell_text(value) for value in row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def encrypt_office(content: bytes, password: str) -> bytes:
    """An Office Open XML file (.xlsx, .docx) encrypted with a password (Office's agile AES
    encryption), as Excel, Word and WPS open it: they ask for the password, and the file is
    unreadable without it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    source = OOXMLFile(io.BytesIO(content))
    target = io.BytesIO()
    source.encrypt(password, target)
    return target.getvalue()


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    text_rows: int = 0,
) -> bytes:
    """A one-sheet .xlsx: a bold header row, then the rows, stored as given (pass ID numbers as
    text) but for text that would start a formula (`safe_cell`). `text_rows` formats that many
    rows below the header as text, for a template: Excel would otherwise turn an 18-digit ID
    number into a rounded number."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(safe_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
    for row in rows:
        sheet.append(safe_row(row))
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
