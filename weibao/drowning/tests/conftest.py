"""Drowning fixtures: schools A and B with coordinates, the water-resources bureau's clerk, a
village committee's clerk, the township's worker (shared fixture), a pond near school A."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from weibao.accounts.models import Organisation, Role, User
from weibao.drowning import services
from weibao.drowning.models import Assignment, HazardousWater, ParentLetter
from weibao.people.models import Person
from weibao.schools.models import School
from weibao.testing import County, id_for, make_user

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


# Letters to parents and named responsibility ---------------------------------------------------


def make_pupil(county: County, name: str, birth: date, seq: int, **extra: Any) -> Person:
    """A pupil of school A living in village A (unless `extra` says otherwise)."""
    fields: dict[str, Any] = {
        "name": name,
        "sex": "M",
        "birth_date": birth,
        "school": county.school_a,
        "division": county.village_a,
        "registered_by": county.school_a,
        "grade": "三年级",
        "class_name": "1班",
        **extra,
    }
    person = Person(**fields)
    person.set_id_number(id_for(birth, seq))
    person.save()
    return person


@pytest.fixture
def pupils(county: County) -> list[Person]:
    """Three pupils of school A: aged 8, 10 and 13 on NOW."""
    return [
        make_pupil(county, "张小明", date(2018, 3, 1), 11),
        make_pupil(county, "王小红", date(2016, 5, 2), 12, class_name="2班"),
        make_pupil(county, "李小刚", date(2013, 1, 3), 13, grade="六年级"),
    ]


@pytest.fixture
def teacher_a(county: County) -> User:
    return make_user("teacher_a", county.school_a, Role.CASE_WORKER, full_name="李老师")


@pytest.fixture
def letter(liaison_a: User, school_a: School, pupils: list[Person]) -> ParentLetter:
    return services.letter_create(
        actor=liaison_a,
        school=school_a,
        data={"year": 2026, "season": "summer", "issued_on": date(2026, 7, 1)},
    )


@pytest.fixture
def assignment(liaison_a: User, teacher_a: User, pupils: list[Person]) -> Assignment:
    return services.assignment_create(
        actor=liaison_a,
        data={"child": pupils[0], "assignee": teacher_a, "year": 2026, "season": "summer"},
    )
