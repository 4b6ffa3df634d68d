"""The legalvp API: scope, writes through the services, and who may not."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from weibao.legalvp.models import Appointment, DutyRecord
from weibao.legalvp.tests.conftest import BIRTH_VP
from weibao.testing import id_for

LIST = "/api/v1/legalvp/appointments/"
DUTIES = "/api/v1/legalvp/duty-records/"


@pytest.fixture
def api():
    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
        )
        return client

    return make


def payload(county, *schools) -> dict:
    return {
        "name": "赵检察",
        "id_number": id_for(BIRTH_VP, 45),
        "sending_unit": county.procuratorate.pk,
        "schools": [s.pk for s in schools],
        "term_start": "2026-09-01",
        "appointing_unit": county.education.pk,
    }


def test_list_is_scoped(api, appointment, liaison_a, liaison_b, prosecutor) -> None:
    for user, count in ((liaison_a, 1), (prosecutor, 1), (liaison_b, 0)):
        response = api(user).get(LIST)
        assert response.status_code == 200
        assert response.json()["count"] == count
    row = api(liaison_a).get(LIST).json()["results"][0]
    assert row["serial_number"] == appointment.serial_number
    assert row["law_hours_this_year"] == "0.0"


def test_retrieve_hidden_is_404(api, appointment, liaison_b) -> None:
    assert api(liaison_b).get(f"{LIST}{appointment.pk}/").status_code == 404


def test_outsider_and_anonymous(api, appointment, outsider, client) -> None:
    assert api(outsider).get(LIST).status_code == 403
    assert client.get(LIST).status_code in (401, 403)


def test_bureau_creates_renews_ends(api, bureau, county, school_a) -> None:
    client = api(bureau)
    response = client.post(LIST, payload(county, school_a), format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["term_end"] == "2029-08-31"
    renewed = client.post(f"{LIST}{pk}/renew/", {}, format="json")
    assert renewed.status_code == 201
    assert Appointment.objects.get(pk=pk).status == "renewed"
    ended = client.post(
        f"{LIST}{renewed.json()['id']}/end/", {"ended_on": "2029-09-01"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["status"] == "ended"


def test_third_school_is_a_400_on_schools(api, bureau, county, school_a, school_b, make_school):
    response = api(bureau).post(
        LIST, payload(county, school_a, school_b, make_school("三小")), format="json"
    )
    assert response.status_code == 400
    assert "schools" in response.json()
    assert not Appointment.objects.exists()


def test_school_cannot_write(api, admin_a, liaison_a, county, school_a, appointment) -> None:
    for user in (admin_a, liaison_a):
        client = api(user)
        assert client.post(LIST, payload(county, school_a), format="json").status_code == 403
        assert client.post(f"{LIST}{appointment.pk}/end/", {}, format="json").status_code == 403
        assert client.post(f"{LIST}{appointment.pk}/renew/", {}, format="json").status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "active"
    assert Appointment.objects.count() == 1


def test_appointee_adds_duty(api, vp_user, appointment, school_a) -> None:
    data = {
        "appointment": appointment.pk,
        "school": school_a.pk,
        "kind": "FD1",
        "date": str(timezone.localdate()),
        "hours": "2.0",
    }
    response = api(vp_user).post(DUTIES, data, format="json")
    assert response.status_code == 201, response.json()
    assert api(vp_user).get(DUTIES).json()["count"] == 1


def test_duty_bad_hours_names_the_field(api, vp_user, appointment, school_a) -> None:
    data = {
        "appointment": appointment.pk,
        "school": school_a.pk,
        "kind": "FD1",
        "date": str(timezone.localdate()),
        "hours": "9",
    }
    response = api(vp_user).post(DUTIES, data, format="json")
    assert response.status_code == 400
    assert "hours" in response.json()
    assert not DutyRecord.objects.exists()


def test_others_cannot_add_duty(api, liaison_a, liaison_b, prosecutor, appointment, school_a):
    data = {
        "appointment": appointment.pk,
        "school": school_a.pk,
        "kind": "FD1",
        "date": str(timezone.localdate()),
        "hours": "2",
    }
    assert api(liaison_a).post(DUTIES, data, format="json").status_code == 403
    assert api(prosecutor).post(DUTIES, data, format="json").status_code == 403
    assert api(liaison_b).post(DUTIES, data, format="json").status_code == 404
    assert not DutyRecord.objects.exists()


def test_list_query_count(
    api, bureau, make_appointment, make_school, django_assert_max_num_queries
) -> None:
    client = api(bureau)
    make_appointment([make_school("一小")], seq=1)
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for i in range(2, 7):
        make_appointment([make_school(f"校{i}"), make_school(f"分校{i}")], seq=i, name=f"检{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).json()["count"] == 6
