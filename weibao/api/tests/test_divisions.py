from __future__ import annotations

from django.test import Client

from weibao.accounts.models import User
from weibao.testing import County

URL = "/api/v1/divisions/"


def test_members_read_divisions(county: County, outsider: User, client_for) -> None:
    data = client_for(outsider).get(URL).json()
    assert data["count"] == 5
    assert {d["name"] for d in data["results"]} >= {"乐安县", "鳌溪镇"}


def test_filters(county: County, liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    townships = client.get(URL, {"level": 4}).json()["results"]
    assert {d["name"] for d in townships} == {"鳌溪镇", "公溪镇"}
    children = client.get(URL, {"parent": county.township_a.pk}).json()["results"]
    assert [d["name"] for d in children] == ["鳌溪村"]


def test_read_only(county: County, coordinator: User, client_for) -> None:
    response = client_for(coordinator).post(
        URL, {"code": "361025102000", "name": "x", "level": 4}, content_type="application/json"
    )
    assert response.status_code == 405


def test_anonymous_is_refused(county: County) -> None:
    assert Client().get(URL).status_code in (401, 403)


def test_query_count_does_not_grow(
    county: County,
    liaison_a: User,
    client_for,
    django_assert_max_num_queries,
) -> None:
    from weibao.accounts.models import Division

    client = client_for(liaison_a)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for n in range(20):
        Division.objects.create(
            code=f"3610251003{n:02d}", name=f"村{n}", level=5, parent=county.township_a
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
