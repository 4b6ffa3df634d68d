"""At-risk fixtures: a pupil of each school (both living in their school's township), helpers to
record events and measures straight through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from weibao.accounts.models import Organisation, User
from weibao.atrisk import services
from weibao.atrisk.models import Behaviour, MisconductEvent
from weibao.lib.pinyin import name_pinyin
from weibao.people.models import Person
from weibao.testing import County, id_for


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = date(today.year - years, 3, 1)
    return day - timedelta(days=days)


def make_person(
    name: str,
    registered_by: Organisation,
    *,
    birth_date: date,
    seq: int,
    sex: str = "M",
    **fields: Any,
) -> Person:
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
    person.set_id_number(id_for(birth_date, seq))
    person.save()
    return person


@pytest.fixture
def pupil_a(county: County) -> Person:
    """王小明, 13, a pupil of school A living in township A."""
    return make_person(
        "王小明",
        county.school_a,
        birth_date=years_ago(13, 40),
        seq=41,
        school=county.school_a,
        division=county.village_a,
    )


@pytest.fixture
def pupil_b(county: County) -> Person:
    """赵小红, 15, a pupil of school B living in township B."""
    return make_person(
        "赵小红",
        county.school_b,
        birth_date=years_ago(15, 10),
        seq=42,
        sex="F",
        school=county.school_b,
        division=county.village_b,
    )


def codes(*wanted: str) -> list[Behaviour]:
    return list(Behaviour.objects.filter(code__in=wanted))


def report(
    actor: User, people: list[Person], *wanted: str, days_ago: int = 3, **extra: Any
) -> MisconductEvent:
    """Record an event through the service."""
    share_with = extra.pop("share_with", ())
    data = {
        "occurred_on": timezone.localdate() - timedelta(days=days_ago),
        "behaviours": codes(*wanted),
        "place": "校门口",
        **extra,
    }
    return services.event_record(actor=actor, people=people, data=data, share_with=share_with)
