"""The leaders' dashboard: who opens it, what it shows, that it stays fast (flat queries)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from weibao.accounts.models import Division, Role, User
from weibao.drowning.models import Incident
from weibao.testing import County, make_user

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture
def prosecutor(county: County) -> User:
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)


@pytest.fixture
def edu_leader(county: County) -> User:
    return make_user("edu_leader", county.education, Role.READ_ONLY)


def drowning(
    county: County, when: datetime, division: Division | None = None, **extra: Any
) -> Incident:
    values: dict[str, Any] = {
        "occurred_at": when,
        "division": division or county.village_a,
        "circumstance": Incident.Circumstance.ALONE,
        "activity": Incident.Activity.SWIMMING,
        "outcome": Incident.Outcome.DIED,
        "reported_by": "派出所",
        "place": "鳌溪河",
        "age": 12,
        **extra,
    }
    return Incident.objects.create(**values)


def test_coordinator_sees_tiles_charts_and_map(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    drowning(county, datetime(2026, 7, 2, 8, tzinfo=UTC))
    drowning(county, datetime(2025, 7, 2, 8, tzinfo=UTC), county.village_b)
    response = client_for(coordinator).get("/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("chart-trend", "chart-months", "chart-circumstance", "township-map"):
        assert f'id="{chart}"' in html
    assert "saveAsImage" in html
    assert "/stats/export/trend.xlsx" in html
    assert 'data-boundaries="/stats/map/townships.geojson"' in html


@pytest.mark.parametrize("who", ["coordinator", "prosecutor", "edu_leader"])
def test_leaders_open_the_dashboard(
    who: str, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get("/stats/").status_code == 200


@pytest.mark.parametrize(
    "who", ["liaison_a", "police", "township_worker", "outsider", "sysadmin", "auditor"]
)
@pytest.mark.parametrize(
    "url",
    [
        "/stats/",
        "/stats/export/trend.xlsx",
        "/stats/export/tiles.xlsx",
        "/stats/map/points/",
        "/stats/map/townships.geojson",
    ],
)
def test_others_are_refused(
    who: str, url: str, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(url).status_code == 403


def test_anonymous_is_sent_to_log_in(county: County) -> None:
    response = Client().get("/stats/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_queries_do_not_grow_with_townships_or_rows(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator)
    client.get("/stats/")  # the cache is filled

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/stats/").status_code == 200
        return len(queries)

    before = count()
    for n in range(3):
        town = Division.objects.create(
            code=f"3610252{n}0000",
            name=f"新镇{n}",
            level=Division.Level.TOWNSHIP,
            parent=county.county,
        )
        drowning(county, datetime(2026, 6, 1 + n, tzinfo=UTC), town)
    client.get("/stats/")
    assert count() <= before + 2  # the new figures are computed once, then read as before


def test_map_points_sit_at_the_township_centres(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    from weibao.drowning.models import TownshipMap

    square = [[115.7, 27.3], [116.1, 27.3], [116.1, 27.7], [115.7, 27.7], [115.7, 27.3]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "鳌溪镇"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    TownshipMap.objects.create(geojson=json.dumps(collection), townships=1, uploaded_by=coordinator)
    drowning(county, datetime(2026, 7, 2, 8, tzinfo=UTC))
    data = client_for(coordinator).get("/stats/map/points/?map=drowning.deaths&year=2026").json()
    [point] = data["points"]
    assert point["name"] == "鳌溪镇"
    assert point["value"][:2] == [115.9, 27.5]
    townships = client_for(coordinator).get("/stats/map/townships.geojson")
    assert json.loads(townships.content)["features"][0]["properties"]["name"] == "鳌溪镇"


def test_bad_map_choice_falls_back(
    coordinator: User, county: County, client_for: Callable[[User], Client]
) -> None:
    response = client_for(coordinator).get("/stats/?map=nope.nothing&year=1066")
    assert response.status_code == 200
