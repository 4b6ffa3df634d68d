from __future__ import annotations

import pytest
from django.test import Client

from weibao.accounts.models import Organisation, User
from weibao.testing import County

URL = "/accounts/units/"


def test_sysadmin_sees_every_unit(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).get(URL)
    assert response.status_code == 200
    names = {unit.name for unit in response.context["page"]}
    assert {"鳌溪镇中心小学", "公溪镇中学", "鳌溪宾馆"} <= names


def test_search_kind_and_township_filters(county: County, sysadmin: User, client_for) -> None:
    client = client_for(sysadmin)

    def names(query: dict) -> set[str]:
        return {unit.name for unit in client.get(URL, query).context["page"]}

    assert names({"q": "中学"}) == {"公溪镇中学"}
    assert names({"kind": "school_primary"}) == {"鳌溪镇中心小学"}
    # Township A holds its police station, its government, school A (in a village) and the hotel.
    assert names({"township": county.township_a.pk}) == {
        "鳌溪派出所", "鳌溪镇人民政府", "鳌溪镇中心小学", "鳌溪宾馆",
    }  # fmt: skip


def test_htmx_gets_the_table_only(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).get(URL, HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "accounts/_unit_table.html"


@pytest.mark.parametrize("who", ["admin_a", "coordinator", "liaison_a", "auditor", "outsider"])
def test_others_are_refused(county: County, who: str, request, client_for) -> None:
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(county: County) -> None:
    assert Client().get(URL)["Location"].startswith("/accounts/login/")


def test_query_count_does_not_grow(
    county: County,
    sysadmin: User,
    client_for,
    django_assert_max_num_queries,
) -> None:
    client = client_for(sysadmin)
    client.get(URL)
    with django_assert_max_num_queries(15) as few:
        client.get(URL)
    for n in range(20):
        Organisation.objects.create(
            name=f"村委会{n}", kind="village_committee", division=county.village_a,
            parent=county.township_gov_a,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 25
