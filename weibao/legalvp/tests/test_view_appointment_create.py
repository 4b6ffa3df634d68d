"""Appointing through the page: the bureau may, a school may not."""

from __future__ import annotations

from django.urls import reverse

from weibao.legalvp.models import Appointment
from weibao.legalvp.tests.conftest import BIRTH_VP
from weibao.testing import id_for

URL = reverse("legalvp:create")


def form_data(county, *schools) -> dict:
    return {
        "name": "赵检察",
        "id_number": id_for(BIRTH_VP, 44),
        "phone": "13900002222",
        "sending_unit": county.procuratorate.pk,
        "position": "检察官",
        "appointing_unit": county.education.pk,
        "schools": [s.pk for s in schools],
        "term_start": "2026-09-01",
    }


def test_bureau_appoints(client_for, bureau, county, school_a) -> None:
    response = client_for(bureau).post(URL, form_data(county, school_a))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appointment.get_absolute_url()
    assert str(appointment.term_end) == "2029-08-31"


def test_third_school_error_shows_on_the_form(
    client_for, bureau, county, school_a, school_b, make_school
) -> None:
    data = form_data(county, school_a, school_b, make_school("三小"))
    response = client_for(bureau).post(URL, data)
    assert response.status_code == 400
    assert "at most 2 schools" in response.content.decode()
    assert not Appointment.objects.exists()


def test_school_cannot_appoint(client_for, admin_a, liaison_a, county, school_a) -> None:
    for user in (admin_a, liaison_a):
        client = client_for(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data(county, school_a)).status_code == 403
    assert not Appointment.objects.exists()


def test_others_cannot_appoint(client_for, prosecutor, outsider, police, county, school_a):
    for user in (prosecutor, outsider, police):
        assert client_for(user).post(URL, form_data(county, school_a)).status_code == 403
