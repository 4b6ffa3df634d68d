"""Units: every member reads them; only system administrators write, through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.testing import County

from .conftest import post_json, token_client

URL = "/api/v1/units/"


def _new(county: County, **extra: object) -> dict:
    return {
        "name": "鳌溪镇第二小学",
        "kind": "school_primary",
        "division": county.village_a.pk,
        "parent": county.education.pk,
    } | extra


def test_members_read_units(county: County, outsider: User, client_for) -> None:
    data = client_for(outsider).get(URL).json()
    assert data["count"] == Organisation.objects.count()
    assert all("webhook_url" not in unit for unit in data["results"])


def test_filters(county: County, liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)

    def names(query: dict) -> set[str]:
        return {u["name"] for u in client.get(URL, query).json()["results"]}

    assert names({"kind": "school_secondary"}) == {"公溪镇中学"}
    assert names({"parent": county.education.pk}) == {"鳌溪镇中心小学", "公溪镇中学"}
    assert names({"name": "派出所"}) == {"鳌溪派出所"}
    assert names({"within": county.township_b.pk}) == {"公溪镇中学"}


def test_sysadmin_creates_through_the_service(county: County, sysadmin: User) -> None:
    response = post_json(token_client(sysadmin), URL, _new(county))
    assert response.status_code == 201, response.json()
    unit = Organisation.objects.get(name="鳌溪镇第二小学")
    assert response.json()["id"] == unit.pk
    assert AuditEvent.objects.filter(action="create", target_id=str(unit.pk)).exists()


def test_bad_credit_code_names_the_field(county: County, sysadmin: User) -> None:
    response = post_json(token_client(sysadmin), URL, _new(county, credit_code="123"))
    assert response.status_code == 400 and "credit_code" in response.json()
    assert not Organisation.objects.filter(name="鳌溪镇第二小学").exists()


def test_sysadmin_updates_through_the_service(county: County, sysadmin: User) -> None:
    url = f"{URL}{county.school_a.pk}/"
    response = post_json(token_client(sysadmin), url, {"is_active": False}, method="patch")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert AuditEvent.objects.filter(action="update", target_id=str(county.school_a.pk)).exists()


def test_cycle_is_refused(county: County, sysadmin: User) -> None:
    url = f"{URL}{county.education.pk}/"
    response = post_json(token_client(sysadmin), url, {"parent": county.school_a.pk}, "patch")
    assert response.status_code == 400 and "parent" in response.json()
    county.education.refresh_from_db()
    assert county.education.parent is None


@pytest.mark.parametrize("who", ["admin_a", "coordinator", "liaison_a", "auditor"])
def test_others_cannot_write(county: County, who: str, request) -> None:
    client = token_client(request.getfixturevalue(who))
    assert post_json(client, URL, _new(county)).status_code == 403
    url = f"{URL}{county.school_a.pk}/"
    assert post_json(client, url, {"name": "改名"}, method="patch").status_code == 403
    county.school_a.refresh_from_db()
    assert county.school_a.name == "鳌溪镇中心小学"
    assert not Organisation.objects.filter(name="鳌溪镇第二小学").exists()


def test_no_delete(county: County, sysadmin: User) -> None:
    response = token_client(sysadmin).delete(f"{URL}{county.hotel.pk}/")
    assert response.status_code == 405
    assert Organisation.objects.filter(pk=county.hotel.pk).exists()


def test_anonymous_is_refused(county: County) -> None:
    assert Client().get(URL).status_code in (401, 403)


def test_query_count_does_not_grow(
    county: County,
    liaison_a: User,
    client_for,
    django_assert_max_num_queries,
) -> None:
    client = client_for(liaison_a)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for n in range(20):
        Organisation.objects.create(
            name=f"村委会{n}", kind="village_committee", division=county.village_b
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
