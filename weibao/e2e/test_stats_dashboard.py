"""The leaders' dashboard in a real browser: every chart is drawn (ECharts, served locally,
under the CSP nonce) on a canvas, so that it saves as a PNG, with no script error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from weibao.accounts.models import Role
from weibao.e2e import conftest as e2e
from weibao.testing import PASSWORD, make_county, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # the browser's clock is real: so is the server's here
    yield


def test_dashboard_draws_its_charts(page: Any) -> None:
    county = make_county()
    make_user("coordinator", county.procuratorate, Role.COUNTY_COORDINATOR)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    e2e.log_in(page, "coordinator", PASSWORD)
    page.goto("/stats/")
    page.wait_for_function(
        "() => document.querySelectorAll('.stats-charts [data-chart]').length > 0 &&"
        " [...document.querySelectorAll('.stats-charts [data-chart]')]"
        ".every(el => el.dataset.drawn && el.querySelector('canvas'))"
    )
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('.stats-charts [data-chart]')]"
        ".map(el => !!window.echarts.getInstanceByDom(el))"
    )
    assert drawn and all(drawn)
    assert errors == []
