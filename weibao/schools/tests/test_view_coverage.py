from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.accounts.models import Organisation
from weibao.schools.models import School

URL = reverse("schools:coverage")


def test_shows_the_gaps(client_for, education, record_a, record_b, appointed_a) -> None:
    response = client_for(education).get(URL)
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.total, total.covered) == (2, 1)
    assert [s.pk for s in total.uncovered] == [record_b.pk]
    assert record_b.get_absolute_url() in response.content.decode()


def test_query_count_does_not_grow(
    client_for, coordinator, county, record_a, django_assert_max_num_queries
) -> None:
    client = client_for(coordinator)
    client.get(URL)
    with django_assert_max_num_queries(25) as few:
        client.get(URL)
    for i in range(12):
        unit = Organisation.objects.create(
            name=f"村小{i}", kind=Organisation.Kind.SCHOOL_PRIMARY, division=county.village_b
        )
        School.objects.create(organisation=unit, kind=School.Kind.PRIMARY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.context["total"].total == 13


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider", "police"])
def test_not_allowed(request, client_for, record_a, name) -> None:
    assert client_for(request.getfixturevalue(name)).get(URL).status_code == 403


def test_anonymous_redirected(client, county) -> None:
    assert client.get(URL).status_code == 302


def test_home_shows_the_count_to_the_bureau(client_for, education, liaison_a, record_a, record_b):
    response = client_for(education).get(reverse("core:home"))
    items = {item.label: item for item in response.context["bench"].waiting}
    item = items["Schools without a campus liaison"]
    assert (item.count, item.url) == (2, URL)
    others = client_for(liaison_a).get(reverse("core:home")).context["bench"].waiting
    assert "Schools without a campus liaison" not in {i.label for i in others}
