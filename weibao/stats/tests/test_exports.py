"""Each dashboard chart's data as Excel: the very numbers of the chart's table, recorded as an
export; refused to those who may not open the dashboard."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook

from weibao.accounts.models import Role, User
from weibao.audit.models import AuditEvent
from weibao.stats import dashboard
from weibao.stats.dashboard import Table
from weibao.stats.exports import figures_export, table_bytes
from weibao.testing import County, make_user

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
TODAY = date(2026, 9, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


@pytest.mark.parametrize("slug", [*dashboard.PANELS, "tiles", "map"])
def test_export_holds_the_charts_numbers(
    slug: str, coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator).get(f"/stats/export/{slug}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    if slug == "tiles":
        table = dashboard.tiles_table(dashboard.double_decrease(coordinator, TODAY))
    elif slug == "map":
        table = dashboard.map_panel(coordinator, TODAY).panel.table
    else:
        table = dashboard.PANELS[slug](coordinator, TODAY).table
    rows = _rows(response.content)
    assert rows[0] == table.headers
    assert rows[1:] == [[_plain(v) for v in row] for row in table.rows]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("at")
    assert event.actor == coordinator and event.detail["panel"] == slug


def test_unknown_panel_is_not_found(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    assert client_for(coordinator).get("/stats/export/nothing.xlsx").status_code == 404


def test_suppressed_cells_are_written_as_less_than_five() -> None:
    content = table_bytes(
        "Trend: by year", Table(["Year", "Deaths"], [["2026", "<5"], ["2025", 7]])
    )
    assert _rows(content) == [["Year", "Deaths"], ["2026", "<5"], ["2025", 7]]


def test_the_export_service_refuses_a_wrong_actor(county: County) -> None:
    liaison = make_user("someone", county.school_a, Role.CAMPUS_LIAISON)
    with pytest.raises(PermissionDenied):
        figures_export(
            actor=liaison, perm="stats.view_dashboard", title="t", table=Table(["a"], [])
        )
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_viewer_outside_the_lead_agencies_gets_less_than_five(
    county: County, client_for: Callable[[User], Client]
) -> None:
    from weibao.drowning.models import Incident

    Incident.objects.create(
        occurred_at=datetime(2026, 7, 2, 8, tzinfo=UTC),
        division=county.village_a,
        place="鳌溪河",
        circumstance=Incident.Circumstance.ALONE,
        activity=Incident.Activity.SWIMMING,
        outcome=Incident.Outcome.DIED,
        reported_by="派出所",
        age=12,
    )
    leader = make_user("edu_leader", county.education, Role.READ_ONLY)
    rows = _rows(client_for(leader).get("/stats/export/months.xlsx").content)
    july = next(row for row in rows if row[0] == 7)
    assert july[2] == "<5"
    assert all(1 not in row[1:] for row in rows[1:])  # no small count anywhere
