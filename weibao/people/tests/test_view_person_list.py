from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.people.models import LeftBehindStatus
from weibao.people.tests.conftest import make_person
from weibao.testing import id_for

URL = reverse("people:list")


def _names(response) -> list[str]:
    return [p.masked_name for p in response.context["page"]]


def test_requires_login(client, county) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_shows_masked_values_only(client_for, coordinator, pupil_a, pupil_b) -> None:
    response = client_for(coordinator).get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "张*" in body and "李*梅" in body
    for person in (pupil_a, pupil_b):
        assert person.name not in body
        assert person.id_number not in body
        assert person.masked_id_number in body
        assert person.phone not in body


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("coordinator", {"张*", "李*梅"}),
        ("liaison_a", {"张*"}),
        ("admin_a", {"张*"}),
        ("liaison_b", {"李*梅"}),
        ("police", {"张*"}),  # lives in township A
        ("township_worker", {"张*"}),
        ("outsider", set()),
    ],
)
def test_each_user_sees_their_scope(request, client_for, pupil_a, pupil_b, user, expected):
    response = client_for(request.getfixturevalue(user)).get(URL)
    assert response.status_code == 200
    assert set(_names(response)) == expected


@pytest.mark.parametrize("user", ["sysadmin", "auditor"])
def test_system_roles_see_no_people(request, client_for, pupil_a, user) -> None:
    response = client_for(request.getfixturevalue(user)).get(URL)
    assert response.status_code == 403
    assert "张*" not in response.content.decode()


def test_liaison_a_cannot_find_school_b_pupils_by_search(
    client_for, liaison_a, pupil_a, pupil_b
) -> None:
    client = client_for(liaison_a)
    for q in ("李小梅", "lixiaomei", "lxm", pupil_b.id_number):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200
        assert _names(response) == [], q
        assert "李*梅" not in response.content.decode()


def test_search_by_initials_and_exact_id(client_for, coordinator, pupil_a, pupil_b) -> None:
    client = client_for(coordinator)
    assert _names(client.get(URL, {"q": "zs"})) == ["张*"]
    assert _names(client.get(URL, {"q": pupil_b.id_number})) == ["李*梅"]


def test_filters_by_school_sex_and_minors(client_for, coordinator, county, pupil_a, pupil_b):
    make_person("王老师", county.school_a, birth_date=date(1980, 1, 1), sex="F")
    client = client_for(coordinator)
    assert _names(client.get(URL, {"school": county.school_b.pk})) == ["李*梅"]
    assert set(_names(client.get(URL, {"sex": "F"}))) == {"李*梅", "王*师"}
    assert set(_names(client.get(URL, {"minors": "on"}))) == {"张*", "李*梅"}


def test_school_filter_offers_only_schools_in_scope(client_for, liaison_a, county) -> None:
    response = client_for(liaison_a).get(URL)
    assert list(response.context["form"].fields["school"].queryset) == [county.school_a]
    # Choosing another school is refused, and lists no one rather than everyone.
    response = client_for(liaison_a).get(URL, {"school": county.school_b.pk})
    assert response.context["form"].errors["school"]
    assert _names(response) == []


def test_left_behind_flag_is_shown(client_for, coordinator, pupil_a) -> None:
    LeftBehindStatus.objects.create(child=pupil_a, parents_away="both")
    body = client_for(coordinator).get(URL).content.decode()
    assert 'class="warning"' in body


def test_htmx_gets_the_table_only(client_for, coordinator, pupil_a) -> None:
    response = client_for(coordinator).get(URL, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


def test_query_count_does_not_grow_with_rows(client_for, coordinator, county) -> None:
    client = client_for(coordinator)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    for seq in range(2):
        person = make_person("王五", county.school_a, id_number=id_for(date(2015, 1, 1), seq))
        LeftBehindStatus.objects.create(child=person, parents_away="both")
    few = count_queries()
    for seq in range(2, 22):
        person = make_person("王五", county.school_b, id_number=id_for(date(2015, 1, 1), seq))
        person.school = county.school_b
        person.save()
    assert count_queries() == few


def test_query_count_is_bounded(
    client_for, coordinator, pupil_a, pupil_b, django_assert_max_num_queries
) -> None:
    client = client_for(coordinator)
    with django_assert_max_num_queries(16):
        client.get(URL)
