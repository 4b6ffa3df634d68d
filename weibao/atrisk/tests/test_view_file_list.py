"""The list page: scoped, filtered, masked, and a query count that does not grow with rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.atrisk.models import AtRiskFile
from weibao.atrisk.tests.conftest import make_person, report, years_ago

URL = reverse("atrisk:list")


def test_school_lists_only_its_pupils_masked(client_for, liaison_a, liaison_b, pupil_a, pupil_b):
    report(liaison_a, [pupil_a], "BL01")
    report(liaison_b, [pupil_b], "BL04")
    page = client_for(liaison_b).get(URL).content.decode()
    assert "赵*红" in page and "赵小红" not in page
    assert "王*明" not in page


def test_search_cannot_find_another_schools_pupil(client_for, liaison_a, liaison_b, pupil_a):
    report(liaison_a, [pupil_a], "BL01")
    client = client_for(liaison_b)
    for q in ("王小明", "wangxiaoming", "wxm", pupil_a.id_number):
        page = client.get(URL, {"q": q}).content.decode()
        assert "王*明" not in page, q
    assert "王*明" in client_for(liaison_a).get(URL, {"q": "wxm"}).content.decode()


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "outsider"])
def test_not_allowed(request, client_for, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(URL).status_code == 403


def test_filters(client_for, coordinator, liaison_a, police, pupil_a, pupil_b, liaison_b, county):
    report(liaison_a, [pupil_a], "BL01")
    report(liaison_b, [pupil_b], "BL04")
    report(police, [pupil_a], "SB04")
    client = client_for(coordinator)
    assert "王*明" in client.get(URL, {"grade": "T2"}).content.decode()
    assert "赵*红" not in client.get(URL, {"grade": "T2"}).content.decode()
    page = client.get(URL, {"township": county.township_b.pk}).content.decode()
    assert "赵*红" in page and "王*明" not in page
    page = client.get(URL, {"age": "12-13"}).content.decode()
    assert "王*明" in page and "赵*红" not in page


def test_query_count_does_not_grow(
    client_for, coordinator, liaison_a, county, django_assert_max_num_queries
):
    client = client_for(coordinator)
    for i in range(3):
        p = make_person(
            f"学生{i}",
            county.school_a,
            birth_date=years_ago(12, i),
            seq=100 + i,
            school=county.school_a,
            division=county.village_a,
        )
        report(liaison_a, [p], "BL02")
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for i in range(3, 15):
        p = make_person(
            f"学生{i}",
            county.school_a,
            birth_date=years_ago(12, i),
            seq=100 + i,
            school=county.school_a,
            division=county.village_a,
        )
        report(liaison_a, [p], "BL02")
    assert AtRiskFile.objects.count() == 15
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
