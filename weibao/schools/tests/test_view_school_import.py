from __future__ import annotations

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from weibao.schools.models import School
from weibao.schools.tests.conftest import row, xlsx

URL = reverse("schools:import")


def _upload(rows):
    upload = xlsx(rows)
    upload.name = "schools.xlsx"
    return {"file": upload}


def test_success_shows_counts(client_for, education, county) -> None:
    response = client_for(education).post(URL, _upload([row()]))
    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert "1 added" in response.content.decode()
    assert School.objects.count() == 1


def test_errors_table_and_download(client_for, education, county) -> None:
    client = client_for(education)
    response = client.post(URL, _upload([row(), row(name="乙", township="火星镇")]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Unknown township" in body and "nothing was written" in body
    assert not School.objects.exists()
    download = client.get(reverse("schools:import_errors"))
    assert download.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content))
    sheet = rows.get_sheet_by_index(0).to_python()
    assert sheet[1][:2] == [3, "Township"]


def test_not_an_excel_file(client_for, education, county) -> None:
    upload = io.BytesIO(b"hello")
    upload.name = "schools.txt"
    response = client_for(education).post(URL, {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_template_download(client_for, education, county) -> None:
    response = client_for(education).get(reverse("schools:template"))
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    assert sheet.to_python()[0][0] == "School name"


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_not_allowed(request, client_for, county, name) -> None:
    client = client_for(request.getfixturevalue(name))
    assert client.post(URL, _upload([row()])).status_code == 403
    assert client.get(reverse("schools:template")).status_code == 403
    assert client.get(reverse("schools:import_errors")).status_code == 403
    assert not School.objects.exists()


def test_anonymous_redirected(client, county) -> None:
    assert client.get(URL).status_code == 302
