"""The year's report: a Word document that opens, with the title, the year, the engine's own
figures, the charts as images; downloaded by leaders only, recorded as an export."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from docx import Document

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.drowning.models import Incident
from weibao.stats import engine, report
from weibao.stats.periods import StatPeriod
from weibao.testing import County

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
TODAY = date(2026, 9, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


def drowned(county: County, when: datetime) -> None:
    Incident.objects.create(
        occurred_at=when,
        division=county.village_a,
        place="鳌溪河",
        circumstance=Incident.Circumstance.ALONE,
        activity=Incident.Activity.SWIMMING,
        outcome=Incident.Outcome.DIED,
        reported_by="派出所",
        age=12,
    )


def test_the_report_opens_with_title_year_figures_and_images(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    for day in (1, 2, 3):
        drowned(county, datetime(2025, 7, day, 8, tzinfo=UTC))
    drowned(county, datetime(2024, 7, 1, 8, tzinfo=UTC))
    response = client_for(coordinator).get("/stats/report/", {"year": 2025})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "乐安县: report on the protection of minors in 2025" in texts
    deaths = engine.cell("drowning.deaths", StatPeriod.year(2025), viewer=coordinator)
    assert deaths.numerator == 3
    line = next(t for t in texts if t.startswith("Drowning deaths of minors:"))
    assert line.startswith("Drowning deaths of minors: 3 deaths (1 deaths the year before)")
    assert "too few to give a percentage change" in line  # a base of 1 gives no percentage
    assert len(document.inline_shapes) >= 2  # the trend and the months at least
    assert any(t.startswith("Figure 1: ") for t in texts)
    assert any("blue solid line: " in t for t in texts)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "Drowning deaths of minors" in cells and "3" in cells
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("at")
    assert event.detail["year"] == 2025 and event.actor == coordinator


def test_the_form_alone_and_a_bad_year(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator)
    assert client.get("/stats/report/").status_code == 200
    for year in ("1999", "2027", "soon"):
        response = client.get("/stats/report/", {"year": year})
        assert response.status_code == 400
    response = client.get("/stats/report/", {"year": "1999"})
    assert "Give a year from 2000 to 2026." in response.context["form"].errors["year"]


@pytest.mark.parametrize(
    "who", ["liaison_a", "police", "township_worker", "outsider", "sysadmin", "auditor"]
)
def test_others_are_refused(
    who: str, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get("/stats/report/", {"year": 2025}).status_code == 403


def test_the_report_service_refuses_a_wrong_actor(liaison_a: User) -> None:
    with pytest.raises(PermissionDenied):
        report.report_download(actor=liaison_a, year=2025, today=TODAY)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
