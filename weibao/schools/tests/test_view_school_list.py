from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.accounts.models import Organisation, Role
from weibao.schools.models import LiaisonAppointment, School
from weibao.testing import make_user

URL = reverse("schools:list")


def _names(response) -> list[str]:
    return [s.organisation.name for s in response.context["page"]]


def test_requires_login(client, county) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["coordinator", "liaison_b", "police", "outsider"])
def test_every_member_reads_the_list(request, client_for, record_a, record_b, name) -> None:
    response = client_for(request.getfixturevalue(name)).get(URL)
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted(["鳌溪镇中心小学", "公溪镇中学"])


def test_write_links_only_for_the_bureau(client_for, education, outsider, record_a) -> None:
    assert reverse("schools:import") in client_for(education).get(URL).content.decode()
    assert reverse("schools:import") not in client_for(outsider).get(URL).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=primary", ["鳌溪镇中心小学"]),
        ("liaison=yes", ["鳌溪镇中心小学"]),
        ("liaison=no", ["公溪镇中学"]),
        ("q=公溪", ["公溪镇中学"]),
        ("ownership=private", []),
        ("kind=bogus", []),
    ],
)
def test_filters(client_for, coordinator, appointed_a, record_b, query, expected) -> None:
    response = client_for(coordinator).get(f"{URL}?{query}")
    assert _names(response) == expected


def test_township_filter(client_for, coordinator, county, record_a, record_b) -> None:
    response = client_for(coordinator).get(f"{URL}?township={county.township_b.pk}")
    assert _names(response) == ["公溪镇中学"]


def test_htmx_gets_the_partial(client_for, coordinator, record_a) -> None:
    response = client_for(coordinator).get(URL, headers={"HX-Request": "true"})
    assert "<h1>" not in response.content.decode()
    assert "鳌溪镇中心小学" in response.content.decode()


def test_query_count_does_not_grow(
    client_for, coordinator, county, django_assert_max_num_queries
) -> None:
    client = client_for(coordinator)

    def add(n: int) -> None:
        for i in range(n):
            unit = Organisation.objects.create(
                name=f"学校{School.objects.count()}-{i}",
                kind=Organisation.Kind.SCHOOL_PRIMARY,
                division=county.village_a,
            )
            school = School.objects.create(organisation=unit, kind=School.Kind.PRIMARY)
            user = make_user(f"l{unit.pk}", unit, Role.CAMPUS_LIAISON)
            LiaisonAppointment.objects.create(school=school, user=user)

    add(2)
    client.get(URL)
    with django_assert_max_num_queries(25) as few:
        client.get(URL)
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(_names(response)) == 17
