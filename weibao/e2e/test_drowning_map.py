"""The map in a real browser: ECharts (served locally, under the CSP nonce) draws the township
boundaries and the points of the data endpoint, with no script error."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from weibao.accounts.models import User
from weibao.drowning import services
from weibao.drowning.models import HazardousWater
from weibao.drowning.tests.conftest import make_water, school_a, school_b, water_bureau
from weibao.e2e import conftest as e2e
from weibao.testing import PASSWORD

# The drowning tests' own fixtures; the browser and page are the end-to-end conftest's (one
# Chromium per process: a second sync_playwright in the same process fails).
__all__ = ["make_water", "school_a", "school_b", "water_bureau"]
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "鳌溪镇"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[115.7, 27.3], [116.1, 27.3], [116.1, 27.7], [115.7, 27.7], [115.7, 27.3]]
                ],
            },
        }
    ],
}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # the browser's clock is real: so is the server's here
    yield


def _series(page: Any) -> list[tuple[str, int]]:
    page.wait_for_function(
        "() => { const el = document.getElementById('water-map');"
        " const c = el && window.echarts && window.echarts.getInstanceByDom(el);"
        " return c && c.getOption() && c.getOption().series.length > 0; }"
    )
    raw = page.evaluate(
        "() => window.echarts.getInstanceByDom(document.getElementById('water-map'))"
        ".getOption().series.map(s => [s.name, s.data.length])"
    )
    return [(name, count) for name, count in raw]


def test_map_draws(page: Any, make_water: Any, water_bureau: User, school_a: Any) -> None:
    make_water()
    make_water(name="缺牌塘", sign_state="missing", risk="medium")
    services.township_map_upload(
        actor=water_bureau,
        upload=io.BytesIO(json.dumps(BOUNDARIES).encode()),
        name="t.geojson",
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    e2e.log_in(page, "water", PASSWORD)
    page.goto("/drowning/map/")
    series = dict(_series(page))
    assert sum(series.values()) >= 4  # two waters, two schools
    assert page.evaluate(
        "() => !!window.echarts.getInstanceByDom(document.getElementById('water-map'))"
        ".getOption().geo"
    )
    page.goto("/drowning/map/?colour=gaps")
    counts = [count for _name, count in _series(page)]
    assert counts[:2] == [1, 1]  # with gaps, complete
    assert HazardousWater.objects.count() == 2
    assert errors == []
