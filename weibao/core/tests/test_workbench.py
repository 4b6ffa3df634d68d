"""The workbench (home page): waiting items overdue first, tiles counted within the user's own
scope, and a chart of the user's own work by month."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core import services
from weibao.core.contract import WaitingItem
from weibao.core.workbench import work_by_month, workbench
from weibao.people.models import Person
from weibao.testing import County, id_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def pupil(county: County, school: Organisation, seq: int) -> Person:
    person = Person(name="王小明", sex="M", birth_date=date(2015, 3, 4), school=school,
                    registered_by=school, division=county.village_a)  # fmt: skip
    person.set_id_number(id_for(date(2015, 3, 4), seq=seq))
    person.save()
    return person


def test_tiles_count_only_what_the_user_may_see(
    county: County, liaison_a: User, liaison_b: User, coordinator: User
) -> None:
    for seq in range(3):
        pupil(county, county.school_a, seq)
    pupil(county, county.school_b, 9)
    tiles = {t.url: t.count for t in workbench(liaison_a).tiles}
    assert tiles["/people/"] == 3
    assert {t.url: t.count for t in workbench(liaison_b).tiles}["/people/"] == 1
    assert {t.url: t.count for t in workbench(coordinator).tiles}["/people/"] == 4


@pytest.mark.parametrize("role", ["sysadmin", "auditor"])
def test_roles_without_childrens_data_get_no_childrens_tiles(
    county: County, role: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    pupil(county, county.school_a, 1)
    assert "/people/" not in {t.url for t in workbench(user).tiles}


def test_a_unit_outside_the_schools_counts_none_of_their_children(
    county: County, outsider: User
) -> None:
    pupil(county, county.school_a, 1)
    assert all(t.count == 0 for t in workbench(outsider).tiles)


def test_overdue_items_come_first(monkeypatch: pytest.MonkeyPatch, liaison_a: User) -> None:
    def source(user: User) -> list[WaitingItem]:
        return [
            WaitingItem("待回复通知", 2, "/a/"),
            WaitingItem("空的", 0, "/b/"),
            WaitingItem("逾期整改", 1, "/c/", overdue=True),
        ]

    monkeypatch.setattr(services, "waiting_sources", lambda: [source])
    assert [i.url for i in services.waiting_for(liaison_a)] == ["/c/", "/a/"]


def test_the_chart_counts_the_users_own_work_by_month(liaison_a: User, liaison_b: User) -> None:
    def at(day: datetime, action: str, actor: User) -> None:
        with time_machine.travel(day):
            record(action, actor=actor, target_repr="x")

    at(datetime(2026, 2, 3, 9, tzinfo=SHANGHAI), AuditEvent.Action.CREATE, liaison_a)
    at(datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI), AuditEvent.Action.UPDATE, liaison_a)
    at(datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI), AuditEvent.Action.UPLOAD, liaison_a)
    at(datetime(2026, 12, 1, 8, tzinfo=SHANGHAI), AuditEvent.Action.VIEW, liaison_a)  # a look
    at(datetime(2026, 12, 1, 9, tzinfo=SHANGHAI), AuditEvent.Action.CREATE, liaison_b)  # another
    at(datetime(2025, 11, 30, 9, tzinfo=SHANGHAI), AuditEvent.Action.CREATE, liaison_a)  # too old

    series = dict(work_by_month(liaison_a, date(2026, 12, 2)))
    assert len(series) == 12 and min(series) == date(2026, 1, 1)
    assert series[date(2026, 2, 1)] == 1
    assert series[date(2026, 11, 1)] == 1  # 23:30 in Shanghai on 30 November
    assert series[date(2026, 12, 1)] == 1
    assert sum(series.values()) == 3


def test_the_home_page_shows_the_workbench_in_flat_queries(
    client_for, county: County, liaison_a: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(liaison_a)
    pupil(county, county.school_a, 1)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for seq in range(2, 30):
        pupil(county, county.school_a, seq)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert len(many) == len(few)  # one count per tile, whatever the numbers
    assert 'class="tile"' in page and 'href="/people/"' in page and ">29<" in page
