from __future__ import annotations

import pytest

from weibao.schools.models import LiaisonAppointment, School

SCHOOLS = "/api/v1/schools/"
LIAISONS = "/api/v1/liaisons/"


def test_members_list_schools(client_for, outsider, record_a, record_b, appointed_a) -> None:
    response = client_for(outsider).get(SCHOOLS)
    assert response.status_code == 200
    results = response.json()["results"] if "results" in response.json() else response.json()
    by_name = {s["name"]: s for s in results}
    assert by_name["鳌溪镇中心小学"]["has_liaison"] is True
    assert by_name["鳌溪镇中心小学"]["liaisons"][0]["user"] == appointed_a.user_id
    assert by_name["公溪镇中学"]["has_liaison"] is False


def test_filter_has_liaison(client_for, coordinator, record_a, record_b, appointed_a) -> None:
    data = client_for(coordinator).get(SCHOOLS, {"has_liaison": "false"}).json()
    results = data.get("results", data)
    assert [s["name"] for s in results] == ["公溪镇中学"]


def test_bureau_creates_and_updates(client_for, education, county) -> None:
    client = client_for(education)
    response = client.post(
        SCHOOLS,
        {"name": "鳌溪村小学", "kind": "primary", "division": county.village_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.patch(f"{SCHOOLS}{pk}/", {"pupil_count": 88}, content_type="application/json")
    assert response.status_code == 200
    assert School.objects.get(pk=pk).pupil_count == 88


def test_bad_input_is_a_400_naming_the_field(client_for, education, county) -> None:
    response = client_for(education).post(
        SCHOOLS,
        {"name": "鳌溪村小学", "kind": "primary", "division": county.village_a.pk,
         "principal_phone": "123"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "principal_phone" in response.json()
    assert not School.objects.exists()


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_create_not_allowed(request, client_for, county, name) -> None:
    response = client_for(request.getfixturevalue(name)).post(
        SCHOOLS,
        {"name": "鳌溪村小学", "kind": "primary", "division": county.village_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not School.objects.exists()


def test_school_admin_updates_contacts_not_others(client_for, admin_a, record_a, record_b):
    client = client_for(admin_a)
    ok = client.patch(
        f"{SCHOOLS}{record_a.pk}/", {"pupil_count": 5}, content_type="application/json"
    )
    assert ok.status_code == 200
    bad = client.patch(
        f"{SCHOOLS}{record_a.pk}/", {"kind": "senior"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "kind" in bad.json()
    other = client.patch(
        f"{SCHOOLS}{record_b.pk}/", {"pupil_count": 5}, content_type="application/json"
    )
    assert other.status_code == 403
    record_b.refresh_from_db()
    assert record_b.pupil_count == 500


@pytest.mark.parametrize("name", ["liaison_b", "outsider"])
def test_update_not_allowed(request, client_for, record_a, name) -> None:
    response = client_for(request.getfixturevalue(name)).patch(
        f"{SCHOOLS}{record_a.pk}/", {"pupil_count": 5}, content_type="application/json"
    )
    assert response.status_code == 403


def test_anonymous_refused(client, record_a) -> None:
    assert client.get(SCHOOLS).status_code in (401, 403)
    assert client.get(LIAISONS).status_code in (401, 403)


def test_liaisons_list_and_appoint(client_for, education, record_a, appointed_a, liaison_a2):
    client = client_for(education)
    data = client.get(LIAISONS, {"active": "true"}).json()
    results = data.get("results", data)
    assert [a["id"] for a in results] == [appointed_a.pk]
    response = client.post(
        LIAISONS,
        {"school": record_a.pk, "user": liaison_a2.pk, "position": "main"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is not None


def test_appoint_wrong_user_is_400(client_for, education, record_a, liaison_b) -> None:
    response = client_for(education).post(
        LIAISONS, {"school": record_a.pk, "user": liaison_b.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "user" in response.json()


@pytest.mark.parametrize("name", ["liaison_a", "outsider"])
def test_appoint_not_allowed(request, client_for, record_a, liaison_a, name) -> None:
    response = client_for(request.getfixturevalue(name)).post(
        LIAISONS, {"school": record_a.pk, "user": liaison_a.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not LiaisonAppointment.objects.exists()


def test_a_school_cannot_appoint_at_another(client_for, admin_a, record_b, liaison_b) -> None:
    response = client_for(admin_a).post(
        LIAISONS, {"school": record_b.pk, "user": liaison_b.pk}, content_type="application/json"
    )
    assert response.status_code == 403


def test_end(client_for, education, liaison_b, appointed_a) -> None:
    assert client_for(liaison_b).post(f"{LIAISONS}{appointed_a.pk}/end/").status_code == 403
    response = client_for(education).post(f"{LIAISONS}{appointed_a.pk}/end/")
    assert response.status_code == 200
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is not None
