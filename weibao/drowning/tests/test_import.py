"""The Excel import: the template, a clean file, one bad row writes nothing, area limits."""

from __future__ import annotations

from django.urls import reverse

from weibao.drowning import services
from weibao.drowning.models import HazardousWater
from weibao.testing import xlsx_upload

HEADER = ["Water name", "Kind of water", "Township", "Village or community", "Longitude",
          "Latitude", "Deeper than 0.5 m", "Risk level", "Warning sign", "Rescue pole",
          "Rescue rope", "Life ring"]  # fmt: skip
GOOD = ["后山塘", "pond", "鳌溪镇", "鳌溪村", "115.830000", "27.440000", "yes", "high",
        "in place", "missing", "damaged", "in place"]  # fmt: skip


def test_clean_file_imports_and_updates(water_bureau, school_a, school_b) -> None:
    second = [
        "公溪河段",
        "river",
        "公溪镇",
        "公溪村",
        "115.99",
        "27.59",
        "是",
        "high",
        "",
        "",
        "",
        "",
    ]
    report = services.waters_import(actor=water_bureau, upload=xlsx_upload(HEADER, [GOOD, second]))
    assert report.clean and report.created == 2
    assert HazardousWater.objects.get(name="公溪河段").kind == "river"
    again = services.waters_import(
        actor=water_bureau, upload=xlsx_upload(HEADER, [[*GOOD[:7], "low", *GOOD[8:]]])
    )
    assert again.clean and again.updated == 1 and again.created == 0
    assert HazardousWater.objects.get(name="后山塘").risk == "low"


def test_one_bad_row_writes_nothing(water_bureau, school_a, school_b) -> None:
    bad = ["坏塘", "lagoon", "鳌溪镇", "无此村", "115.83", "31.0", "maybe", "", "", "", "", ""]
    rows = [GOOD, bad, GOOD]
    report = services.waters_import(actor=water_bureau, upload=xlsx_upload(HEADER, rows))
    assert not report.clean
    by_row = {(e.row, e.column) for e in report.errors}
    assert {(3, "Kind of water"), (3, "Village or community"), (3, "Deeper than 0.5 m"),
            (4, "Water name")} <= by_row  # fmt: skip
    assert not HazardousWater.objects.exists()


def test_outside_county_row(water_bureau, school_a) -> None:
    rows = [[*GOOD[:4], "120.0", "27.44", *GOOD[6:]]]
    report = services.waters_import(actor=water_bureau, upload=xlsx_upload(HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Latitude")]


def test_township_rows_outside_area(township_worker, school_a) -> None:
    rows = [["公溪塘", "pond", "公溪镇", "公溪村", "115.99", "27.59", "", "", "", "", "", ""]]
    report = services.waters_import(actor=township_worker, upload=xlsx_upload(HEADER, rows))
    assert not report.clean and "outside your area" in report.errors[0].message


def test_page_shows_every_bad_row(client_for, water_bureau, school_a) -> None:
    rows = [[*GOOD[:1], "lake?", *GOOD[2:]], [*GOOD[:1], "pond", "无此镇", *GOOD[3:]]]
    client = client_for(water_bureau)
    response = client.post(reverse("drowning:water_import"), {"file": xlsx_upload(HEADER, rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "lake?" in text and "无此镇" in text and "nothing was written" in text
    errors = client.get(reverse("drowning:water_import_errors"))
    assert errors.status_code == 200 and errors["Content-Type"].startswith("application/vnd")


def test_template_and_export_round_trip(client_for, water, water_bureau) -> None:
    client = client_for(water_bureau)
    assert client.get(reverse("drowning:water_template")).status_code == 200
    exported = client.get(reverse("drowning:water_export"))
    assert exported.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("w.xlsx", exported.content)
    report = services.waters_import(actor=water_bureau, upload=upload)
    assert report.clean and report.created == 0
