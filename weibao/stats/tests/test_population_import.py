"""The minors' populations from Excel: a clean file writes every row, a file with one bad row
writes nothing and names each bad row and column, a re-import changes nothing, the export
imports back; only the county coordinator imports."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.stats import sheets
from weibao.stats.models import Population, Stale
from weibao.testing import County, xlsx_upload

pytestmark = pytest.mark.django_db
Clients = Callable[[User], Client]
HEADER = ["Year", "County or township", "Minors", "Note"]


def test_a_clean_file_is_imported_and_again_changes_nothing(
    county: County, coordinator: User
) -> None:
    rows = [
        [2025, county.township_a.name, 3200, "统计年报"],
        [2025, county.township_b.code, "1,480", ""],
        [2024, county.county.name, 5100.0, ""],
    ]
    report = sheets.populations_import(actor=coordinator, upload=xlsx_upload(HEADER, rows))
    assert report.clean and (report.created, report.updated) == (3, 0)
    assert Population.objects.get(division=county.township_b, year=2025).minors == 1480
    assert Stale.objects.filter(key="MINORS").count() == 1
    again = sheets.populations_import(actor=coordinator, upload=xlsx_upload(HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Stale.objects.filter(key="MINORS").count() == 1
    rows[0][2] = 3300
    changed = sheets.populations_import(actor=coordinator, upload=xlsx_upload(HEADER, rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPLOAD).count() == 3


def test_one_bad_row_writes_nothing_and_each_error_names_its_row_and_column(
    county: County, coordinator: User
) -> None:
    rows: list[list[Any]] = [
        [2025, county.township_a.name, 3200, ""],
        [1800, county.village_a.name, 0, "x" * 201],
        [2025, county.township_a.code, 3300, ""],
        ["二〇二五", county.township_b.name, "many", ""],
    ]
    report = sheets.populations_import(actor=coordinator, upload=xlsx_upload(HEADER, rows))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "Year"),
        (3, "County or township"),
        (3, "Minors"),
        (3, "Note"),
        (4, "County or township"),  # the same division's year as row 2
        (5, "Year"),
        (5, "Minors"),
    }
    assert any("row 2" in e.message for e in report.errors if e.row == 4)
    assert not Population.objects.exists()
    assert not Stale.objects.exists()


def test_the_export_imports_back(county: County, coordinator: User) -> None:
    rows = [[2025, county.township_a.name, 3200, "年报"], [2025, county.county.code, 9000, ""]]
    sheets.populations_import(actor=coordinator, upload=xlsx_upload(HEADER, rows))
    content = sheets.populations_export(actor=coordinator, among=Population.objects.all())
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    back = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    report = sheets.populations_import(actor=coordinator, upload=xlsx_upload(HEADER, back))
    assert report.clean and report.unchanged == 2


def test_the_pages(county: County, coordinator: User, client_for: Clients) -> None:
    client = client_for(coordinator)
    assert client.get(reverse("stats:data_population_import")).status_code == 200
    template = client.get(reverse("stats:data_population_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = xlsx_upload(HEADER, [[2025, county.township_a.name, "-3", ""]])
    response = client.post(reverse("stats:data_population_import"), {"file": upload})
    assert response.status_code == 400
    assert b"Enter a whole number from 1 to 10000000." in response.content
    errors = client.get(reverse("stats:data_population_import_errors"))
    assert errors.status_code == 200 and errors.content[:2] == b"PK"
    upload = xlsx_upload(HEADER, [[2025, county.township_a.name, "3", ""]])
    response = client.post(reverse("stats:data_population_import"), {"file": upload})
    assert response.status_code == 200
    assert Population.objects.get().minors == 3
    exported = client.get(reverse("stats:data_population_export"))
    assert exported.status_code == 200 and exported.content[:2] == b"PK"


@pytest.mark.parametrize(
    "name",
    [
        "stats:data_population_import",
        "stats:data_population_template",
        "stats:data_population_import_errors",
    ],
)
def test_only_the_coordinator_imports(
    county: County, edu_reader: User, prosecutor: User, client_for: Clients, name: str
) -> None:
    for user in (edu_reader, prosecutor):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_the_export_not_for_schools_sysadmin_auditor(
    county: County, liaison_a: User, sysadmin: User, auditor: User, client_for: Clients
) -> None:
    for user in (liaison_a, sysadmin, auditor):
        response = client_for(user).get(reverse("stats:data_population_export"))
        assert response.status_code == 403


def test_the_import_service_guard(county: County, edu_reader: User) -> None:
    from django.core.exceptions import PermissionDenied

    upload = xlsx_upload(HEADER, [[2025, county.township_a.name, 3, ""]])
    with pytest.raises(PermissionDenied):
        sheets.populations_import(actor=edu_reader, upload=upload)
