"""Excel import and export: the template, a clean file imported and checked against the schools
in one pass, a file with bad rows writing nothing and naming each row and column, duplicate
credit codes in the file, a code typed as a number, an export that imports back."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from weibao.audit.models import AuditEvent
from weibao.testing import xlsx_upload
from weibao.venues import services
from weibao.venues.models import Venue, Violation
from weibao.venues.tests.conftest import code, north_of_a


def header() -> list[str]:
    return [str(c.header) for c in services.COLUMNS]


def row(**values: str) -> list[str]:
    base = {
        "kind": "V01",
        "name": "星空网咖",
        "credit_code": code(),
        "township": "鳌溪镇",
        "village": "鳌溪村",
        "longitude": "115.830000",
        "latitude": north_of_a(120),
    }
    base.update(values)
    return [base.get(c.key, "") for c in services.COLUMNS]


def test_template_has_every_column(culture) -> None:
    sheet = load_workbook(io.BytesIO(services.venues_template())).active
    assert [c.value for c in sheet[1]] == header()


def test_clean_import_writes_and_checks(culture, school_a, school_b) -> None:
    upload = xlsx_upload(
        header(),
        [
            row(),
            row(name="远处网吧", latitude=north_of_a(900)),
            row(kind="internet café", name="第三家"),
        ],
    )
    report = services.venues_import(actor=culture, upload=upload)
    assert report.clean, report.errors
    assert (report.created, report.updated) == (3, 0)
    assert report.violations == 2
    assert Violation.objects.open().count() == 2
    assert AuditEvent.objects.filter(detail__operation="venues_import").exists()


def test_a_bad_row_writes_nothing(culture, school_a) -> None:
    upload = xlsx_upload(
        header(),
        [
            row(),
            row(credit_code="123"),
            row(latitude="40.0"),
            row(kind="V99"),
            row(township="无此镇"),
            row(village="无此村"),
        ],
    )
    report = services.venues_import(actor=culture, upload=upload)
    assert not report.clean
    assert not Venue.objects.exists() and not Violation.objects.exists()
    by_row = {(e.row, e.column) for e in report.errors}
    assert (3, "Unified social credit code") in by_row
    assert (4, "Latitude") in by_row
    assert (5, "Kind of venue") in by_row
    assert (6, "Township") in by_row
    assert (7, "Village or community") in by_row
    assert not any(e.row == 2 for e in report.errors)
    assert "outside the county" in next(e.message for e in report.errors if e.row == 4)


def test_duplicate_codes_in_the_file(culture, school_a) -> None:
    same = code()
    report = services.venues_import(
        actor=culture, upload=xlsx_upload(header(), [row(credit_code=same), row(credit_code=same)])
    )
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "The same credit code as row 2 above.")
    ]
    assert not Venue.objects.exists()


def test_a_code_typed_as_a_number(culture, school_a) -> None:
    values: list[object] = list(row())
    values[2] = 913610251234567890  # a number cell: rounded by Excel
    report = services.venues_import(actor=culture, upload=xlsx_upload(header(), [values]))
    assert not report.clean and "format the column as text" in report.errors[0].message


def test_out_of_reach_rows_are_refused(market, school_a) -> None:
    report = services.venues_import(actor=market, upload=xlsx_upload(header(), [row()]))
    assert not report.clean and "cannot keep" in report.errors[0].message


def test_export_imports_back(culture, cafe) -> None:
    content = services.venues_export(actor=culture)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == header()
    assert sheet.cell(2, 2).value == cafe.name and sheet.cell(2, 3).value == cafe.credit_code
    # Change the name in the file, import it: the same venue (by credit code) is updated.
    values = [c.value for c in sheet[2]]
    values[1] = "星空网咖（新址）"
    report = services.venues_import(actor=culture, upload=xlsx_upload(header(), [values]))
    assert report.clean, report.errors
    assert (report.created, report.updated) == (0, 1)
    cafe.refresh_from_db()
    assert cafe.name == "星空网咖（新址）"
    assert AuditEvent.objects.filter(detail__operation="venues_export").exists()
