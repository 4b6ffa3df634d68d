"""The caseload, the warnings and the sealed-record applications: the query count of each list
does not grow with its rows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from weibao.atrisk.models import AtRiskFile, RiskWarning, SealedQueryApplication
from weibao.atrisk.tests.conftest import make_person, report, years_ago

NOW = datetime(2026, 6, 3, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def add_rows(county, liaison_a, coordinator, start: int, stop: int) -> None:
    """Files of school A's liaison, each with an open warning and a sealed-record application."""
    for i in range(start, stop):
        person = make_person(
            f"学生{i}",
            county.school_a,
            birth_date=years_ago(13, i),
            seq=300 + i,
            school=county.school_a,
            division=county.village_a,
        )
        report(liaison_a, [person], "BL02")
        file = AtRiskFile.objects.get(person=person)
        RiskWarning.objects.create(file=file, kind=RiskWarning.Kind.RETURNED, key=f"q{i}")
        SealedQueryApplication.objects.create(
            file=file, applicant=liaison_a, legal_basis="依据" * 3, purpose="目的" * 3
        )


@pytest.mark.parametrize(
    ("name", "who"),
    [("caseload", "liaison_a"), ("warnings", "coordinator"), ("sealed_list", "coordinator")],
)
def test_query_count_does_not_grow(
    request, client_for, county, liaison_a, coordinator, django_assert_max_num_queries, name, who
):
    client = client_for(request.getfixturevalue(who))
    url = reverse(f"atrisk:{name}")
    add_rows(county, liaison_a, coordinator, 0, 2)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    add_rows(county, liaison_a, coordinator, 2, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
