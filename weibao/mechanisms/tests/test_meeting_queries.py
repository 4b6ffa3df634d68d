"""Query counts: the meetings list and a meeting's page do not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weibao.accounts.models import User
from weibao.casework import services as casework_services
from weibao.casework.tests.conftest import report_data
from weibao.mechanisms.models import Meeting, Task
from weibao.mechanisms.services import meetings as services
from weibao.testing import County

ClientFor = Callable[[User], Client]


def _meetings(county: County, lead: User, n: int, start: int = 0) -> list[Meeting]:
    return [
        services.meeting_create(
            actor=lead,
            data={
                "kind": Meeting.Kind.CONSULTATION,
                "title": f"会议{i}",
                "held_on": date(2026, 9, 1) - timedelta(days=i),
                "units": [county.procuratorate, county.education, county.school_a],
            },
        )
        for i in range(start, start + n)
    ]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow(client_for: ClientFor, county: County, lead: User) -> None:
    client = client_for(lead)
    url = reverse("mechanisms:meeting_list")
    _meetings(county, lead, 2)
    few = _count(client, url)
    _meetings(county, lead, 8, start=2)
    assert _count(client, url) <= few


def test_detail_queries_do_not_grow(
    client_for: ClientFor, county: County, lead: User, liaison_a: User
) -> None:
    (meeting,) = _meetings(county, lead, 1)
    client = client_for(liaison_a)

    def grow(n: int) -> None:
        for i in range(n):
            decision = services.decision_add(actor=lead, meeting=meeting, text=f"事项{i}")
            Task.objects.create(
                decision=decision,
                title=f"任务{i}",
                owner=county.school_a,
                deadline=date(2026, 12, 1),
            )
        cases = [
            casework_services.report_file(actor=liaison_a, data=report_data(county))[0]
            for _ in range(n)
        ]
        services.meeting_cases_set(
            actor=lead, meeting=meeting, cases=[*meeting.cases.all(), *cases], files=[]
        )

    grow(1)
    few = _count(client, meeting.get_absolute_url())
    grow(4)
    assert _count(client, meeting.get_absolute_url()) <= few
