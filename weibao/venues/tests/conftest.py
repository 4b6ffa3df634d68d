"""Venues fixtures: schools A (primary) and B (junior) with coordinates, the culture and
tourism bureau's and the market-regulation bureau's clerks, the education bureau's reader, an
internet café 150 m north of school A (inside the national 200 m) and one far from both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
import time_machine

from weibao.accounts.models import Organisation, Role, User
from weibao.lib import creditcode
from weibao.schools.models import School
from weibao.testing import County, make_user
from weibao.venues import services
from weibao.venues.models import Venue

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county, a term-time Tuesday
SCHOOL_A = (Decimal("27.430000"), Decimal("115.830000"))
METRES_PER_DEGREE = 110_790  # of latitude, near 27.4°N
_codes = count(1)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def code() -> str:
    return creditcode.make("92", "361025", f"{next(_codes):09d}")


def north_of_a(metres: float) -> str:
    return f"{float(SCHOOL_A[0]) + metres / METRES_PER_DEGREE:.6f}"


@pytest.fixture
def school_a(county: County) -> School:
    return School.objects.create(
        organisation=county.school_a,
        kind=School.Kind.PRIMARY,
        latitude=SCHOOL_A[0],
        longitude=SCHOOL_A[1],
    )


@pytest.fixture
def school_b(county: County) -> School:
    return School.objects.create(
        organisation=county.school_b,
        kind=School.Kind.JUNIOR,
        latitude=Decimal("27.600000"),
        longitude=Decimal("116.000000"),
    )


@pytest.fixture
def culture(county: County) -> User:
    unit = Organisation.objects.create(
        name="乐安县文化广电新闻出版旅游局",
        kind=Organisation.Kind.CULTURE_TOURISM,
        division=county.county,
    )
    return make_user("culture", unit, Role.CASE_WORKER)


@pytest.fixture
def market(county: County) -> User:
    unit = Organisation.objects.create(
        name="乐安县市场监督管理局",
        kind=Organisation.Kind.MARKET_REGULATION,
        division=county.county,
    )
    return make_user("market", unit, Role.CASE_WORKER)


@pytest.fixture
def edu_reader(county: County) -> User:
    return make_user("edu", county.education, Role.READ_ONLY)


@pytest.fixture
def township_b_worker(county: County) -> User:
    unit = Organisation.objects.create(
        name="公溪镇人民政府", kind=Organisation.Kind.TOWNSHIP, division=county.township_b
    )
    return make_user("township_b", unit, Role.CASE_WORKER)


def venue_data(county: County, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": Venue.Kind.INTERNET_CAFE,
        "name": "星空网咖",
        "credit_code": code(),
        "licence_number": "3610250001",
        "licence_expires": None,
        "operator": "张三",
        "village": county.village_a,
        "address": "鳌溪镇学府路1号",
        "latitude": north_of_a(150),
        "longitude": "115.830000",
        "opening_hours": "08:00-24:00",
        "status": Venue.Status.OPEN,
    }
    data.update(extra)
    return data


@pytest.fixture
def make_venue(
    county: County, culture: User, market: User, school_a: School, school_b: School
) -> Callable[..., Venue]:
    def make(actor: User | None = None, **extra: Any) -> Venue:
        data = venue_data(county, **extra)
        if actor is None:
            actor = culture if data["kind"] in ("V01", "V02", "V03", "V05", "V12") else market
        return services.venue_create(actor=actor, data=data)

    return make


@pytest.fixture
def cafe(make_venue: Callable[..., Venue]) -> Venue:
    """An internet café 150 m from school A: inside the national 200 m."""
    return make_venue()


@pytest.fixture
def far_shop(make_venue: Callable[..., Venue]) -> Venue:
    """A stationery shop 3 km from school A."""
    return make_venue(kind=Venue.Kind.SHOP, name="远方文具店", latitude=north_of_a(3000))
