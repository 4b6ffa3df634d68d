"""The demo part: the speech's figures for 2017 to September 2022, fewer cases every year since,
spread over the townships; idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from weibao.core.contract import Period, figure
from weibao.crimes import demo
from weibao.crimes.models import Case
from weibao.demo.county import demo_county_seed

AS_OF = date(2026, 9, 15)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # the demo runs on AS_OF (overrides the app's)
    with time_machine.travel(AS_OF, tick=False):
        yield


def test_demo_has_the_speech_shape(db: None) -> None:
    demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    span = Period(date(2017, 1, 1), date(2022, 10, 1))
    assert figure("crimes.minors_arrested", division=None, period=span) == 76
    assert figure("crimes.minors_prosecuted", division=None, period=span) == 74
    assert figure("crimes.gang_share", division=None, period=span) == Decimal("82.9")
    sexual = [
        figure("crimes.sexual_assault_victims", division=None, period=Period.year(y))
        for y in (2020, 2021)
    ]
    assert sexual == [7, 2]
    arrested = [
        figure("crimes.minors_arrested", division=None, period=Period.year(y))
        for y in range(2022, 2027)
    ]
    assert arrested == sorted(arrested, reverse=True) and arrested[-1] < arrested[0]
    assert Case.objects.values("division").distinct().count() > 3
    assert Case.objects.filter(suspects__person__isnull=False).exists()
    count = Case.objects.count()
    demo.seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    assert Case.objects.count() == count
