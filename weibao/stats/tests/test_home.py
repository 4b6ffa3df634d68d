"""Each unit's own few figures on its home page, from the same definitions: never a small cell
to a viewer who must not see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from weibao.accounts.models import Role, User
from weibao.drowning.models import Incident
from weibao.stats import weibao_app
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


def drowned(county: County) -> None:
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


def _tiles(client: Client) -> dict[str, object]:
    response = client.get("/")
    assert response.status_code == 200
    return {tile.label: tile.count for tile in response.context["bench"].tiles}


def test_a_township_sees_its_small_cell_suppressed(
    township_worker: User, county: County, client_for: Callable[[User], Client]
) -> None:
    drowned(county)
    tiles = _tiles(client_for(township_worker))
    assert tiles["Drowning deaths of minors this year in the township"] == "<5"
    assert "Minors prosecuted this year" not in tiles
    assert "Law-education sessions this year" not in tiles


def test_the_lead_agencies_see_the_count(county: County) -> None:
    drowned(county)
    prosecutor = make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)
    figure = weibao_app.engine_figure(prosecutor, "drowning.deaths", own_township=False)
    assert figure == 1


def test_a_school_sees_its_own_sessions(
    liaison_a: User, county: County, client_for: Callable[[User], Client]
) -> None:
    tiles = _tiles(client_for(liaison_a))
    assert "Law-education sessions this year" in tiles
    assert "Drowning deaths of minors this year in the township" not in tiles


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "auditor", "police"])
def test_others_get_no_statistics_tiles(
    who: str, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    user = request.getfixturevalue(who)
    labels = set(_tiles(client_for(user)))
    assert not labels & {
        "Drowning deaths of minors this year in the township",
        "Minors prosecuted this year",
        "Law-education sessions this year",
    }
