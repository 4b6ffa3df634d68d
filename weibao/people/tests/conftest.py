"""People fixtures: a pupil of each school, living in each township, and a guardian."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from weibao.accounts.models import Organisation
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Guardianship, Person
from weibao.testing import County, id_for

BIRTH_A = date(2015, 3, 1)
BIRTH_B = date(2012, 9, 30)
BIRTH_PARENT = date(1985, 6, 15)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


def make_person(
    name: str,
    registered_by: Organisation,
    *,
    id_number: str = "",
    birth_date: date = BIRTH_A,
    sex: str = "M",
    **fields: Any,
) -> Person:
    """A person straight into the table (tests of reads need no service call)."""
    full, initials = name_pinyin(name)
    person = Person(
        name=name,
        name_pinyin=full,
        name_initials=initials,
        sex=sex,
        birth_date=birth_date,
        registered_by=registered_by,
        **fields,
    )
    if id_number:
        person.set_id_number(id_number)
    person.save()
    return person


@pytest.fixture
def pupil_a(county: County) -> Person:
    """张三, a pupil of school A living in township A."""
    return make_person(
        "张三",
        county.school_a,
        id_number=id_for(BIRTH_A, 11),
        birth_date=BIRTH_A,
        sex="M",
        school=county.school_a,
        division=county.village_a,
        grade="三年级",
        class_name="2班",
        phone="13812345678",
    )


@pytest.fixture
def pupil_b(county: County) -> Person:
    """李小梅, a pupil of school B living in township B."""
    return make_person(
        "李小梅",
        county.school_b,
        id_number=id_for(BIRTH_B, 22),
        birth_date=BIRTH_B,
        sex="F",
        school=county.school_b,
        division=county.village_b,
        phone="13987654321",
    )


@pytest.fixture
def parent_a(county: County, pupil_a: Person) -> Person:
    """张大山, pupil A's father, registered by school A."""
    father = make_person(
        "张大山",
        county.school_a,
        id_number=id_for(BIRTH_PARENT, 31),
        birth_date=BIRTH_PARENT,
        sex="M",
        division=county.village_a,
        phone="13700001111",
    )
    Guardianship.objects.create(
        child=pupil_a, guardian=father, relationship="father", is_primary=True
    )
    return father
