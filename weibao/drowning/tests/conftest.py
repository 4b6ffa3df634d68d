"""Drowning fixtures: schools A and B with coordinates, the water-resources bureau's clerk, a
village committee's clerk, the township's worker (shared fixture), a pond near school A."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from weibao.accounts.models import Organisation, Role, User
from weibao.drowning import services
from weibao.drowning.models import HazardousWater
from weibao.schools.models import School
from weibao.testing import County, make_user

NOW = datetime(2026, 7, 15, 10, 0, tzinfo=UTC)  # 18:00 in the county, a summer Wednesday


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def school_a(county: County) -> School:
    return School.objects.create(
        organisation=county.school_a,
        kind=School.Kind.PRIMARY,
        latitude=Decimal("27.430000"),
        longitude=Decimal("115.830000"),
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
def water_bureau(county: County) -> User:
    unit = Organisation.objects.create(
        name="乐安县水利局", kind=Organisation.Kind.WATER_RESOURCES, division=county.county
    )
    return make_user("water", unit, Role.CASE_WORKER)


@pytest.fixture
def edu_reader(county: County) -> User:
    return make_user("edu", county.education, Role.READ_ONLY)


@pytest.fixture
def village_clerk(county: County) -> User:
    unit = Organisation.objects.create(
        name="鳌溪村村民委员会", kind=Organisation.Kind.VILLAGE_COMMITTEE, division=county.village_a
    )
    return make_user("village_a", unit, Role.CASE_WORKER)


@pytest.fixture
def township_b_worker(county: County) -> User:
    unit = Organisation.objects.create(
        name="公溪镇人民政府", kind=Organisation.Kind.TOWNSHIP, division=county.township_b
    )
    return make_user("township_b", unit, Role.CASE_WORKER)


def water_data(county: County, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "后山塘",
        "kind": HazardousWater.Kind.POND,
        "village": county.village_a,
        "latitude": "27.440000",
        "longitude": "115.830000",
        "deeper_than_half_metre": True,
        "risk": HazardousWater.Risk.HIGH,
        "sign_state": "ok",
        "pole_state": "ok",
        "rope_state": "ok",
        "ring_state": "ok",
    }
    data.update(extra)
    return data


@pytest.fixture
def make_water(
    county: County, water_bureau: User, school_a: School, school_b: School
) -> Callable[..., HazardousWater]:
    def make(**extra: Any) -> HazardousWater:
        return services.water_create(actor=water_bureau, data=water_data(county, **extra))

    return make


@pytest.fixture
def water(make_water: Callable[..., HazardousWater]) -> HazardousWater:
    return make_water()
