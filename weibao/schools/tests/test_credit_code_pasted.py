"""A credit code pasted in groups or in lower case is taken in the school form and import."""

from __future__ import annotations

from django.urls import reverse

from weibao.schools.models import School
from weibao.schools.services import schools_import
from weibao.schools.tests.conftest import row, xlsx

CODE = "91110000600037341L"


def test_school_form_takes_a_pasted_code(client_for, education, county) -> None:
    response = client_for(education).post(
        reverse("schools:create"),
        {
            "name": "鳌溪村小学",
            "credit_code": "12361025 MB1234567 6",
            "kind": "primary",
            "ownership": "public",
            "division": county.village_a.pk,
            "pupil_count": "100",
            "principal_phone": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert School.objects.get().organisation.credit_code == "12361025MB12345676"


def test_school_import_takes_a_pasted_code(county, education) -> None:
    report = schools_import(actor=education, upload=xlsx([row(credit_code="91 110000 600037341l")]))
    assert report.clean, report.errors
    assert School.objects.get().organisation.credit_code == CODE
