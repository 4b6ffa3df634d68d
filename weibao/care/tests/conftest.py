"""Care fixtures: the civil-affairs bureau's clerk and reader, a children's director for village A
(a village-committee clerk) and a supervisor for township A (a township-government clerk),
written as appointments directly; children living in village A (a left-behind pupil of school A),
village B (a left-behind pupil of school B) and township A itself, an entrusted carer, and a
`make_volunteer(checked=...)` factory whose staff-checks result is written directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from weibao.accounts.models import Division, Organisation, Role, User
from weibao.care.models import CareAppointment
from weibao.family.models import Team, Volunteer
from weibao.kit import crypto
from weibao.people.models import LeftBehindStatus, Person
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import CheckBatch, CheckItem
from weibao.testing import County, id_for, make_user

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county, a term-time Tuesday
TODAY = date(2026, 9, 15)
_seq = count(1)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def civil_affairs(county: County) -> Organisation:
    return Organisation.objects.create(
        name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
    )


@pytest.fixture
def civil(civil_affairs: Organisation) -> User:
    return make_user("civil", civil_affairs, Role.CASE_WORKER)


@pytest.fixture
def civil_reader(civil_affairs: Organisation) -> User:
    """A read-only clerk of civil affairs: reads every child's care, keeps nothing."""
    return make_user("civil_reader", civil_affairs, Role.READ_ONLY)


@pytest.fixture
def village_committee(county: County) -> Organisation:
    return Organisation.objects.create(
        name="鳌溪村村民委员会",
        kind=Organisation.Kind.VILLAGE_COMMITTEE,
        division=county.village_a,
    )


def appoint(
    role: str, division: Division, user: User | None, starts_on: date = date(2025, 1, 1)
) -> CareAppointment:
    return CareAppointment.objects.create(
        role=role,
        division=division,
        user=user,
        person_name="" if user is not None else "李主任",
        starts_on=starts_on,
    )


@pytest.fixture
def director(county: County, village_committee: Organisation) -> User:
    """The children's director of village A."""
    user = make_user("director_a", village_committee, Role.CASE_WORKER, full_name="李村主任")
    appoint(CareAppointment.Role.DIRECTOR, county.village_a, user)
    return user


@pytest.fixture
def supervisor(county: County) -> User:
    """The children's supervisor of township A."""
    user = make_user("supervisor_a", county.township_gov_a, Role.CASE_WORKER, full_name="王督导")
    appoint(CareAppointment.Role.SUPERVISOR, county.township_a, user)
    return user


@pytest.fixture
def make_child(county: County) -> Callable[..., Person]:
    """make_child(division=..., school=..., left_behind=True, born=...): a person written
    directly, left behind (an active status) unless told otherwise."""

    def make(
        division: Division | None = None,
        school: Organisation | None = None,
        *,
        left_behind: bool = True,
        born: date = date(2015, 3, 1),
        name: str = "",
        **status: Any,
    ) -> Person:
        n = next(_seq)
        child = Person.objects.create(
            name=name or f"留守儿童{n}",
            sex=Person.Sex.FEMALE,
            birth_date=born,
            division=division,
            school=school,
            registered_by=school or county.procuratorate,
        )
        if left_behind:
            LeftBehindStatus.objects.create(
                child=child, parents_away=LeftBehindStatus.ParentsAway.BOTH, **status
            )
        return child

    return make


@pytest.fixture
def child_a(county: County, make_child: Callable[..., Person]) -> Person:
    """Lives in village A, a left-behind pupil of school A."""
    return make_child(county.village_a, county.school_a, name="张小花")


@pytest.fixture
def child_b(county: County, make_child: Callable[..., Person]) -> Person:
    """Lives in village B (township B), a left-behind pupil of school B."""
    return make_child(county.village_b, county.school_b, name="王小明")


@pytest.fixture
def child_town(county: County, make_child: Callable[..., Person]) -> Person:
    """Lives in township A outside any village on file; no school."""
    return make_child(county.township_a, None, name="刘小军")


@pytest.fixture
def carer(county: County) -> Person:
    return Person.objects.create(
        name="张奶奶",
        sex=Person.Sex.FEMALE,
        birth_date=date(1955, 6, 1),
        division=county.village_a,
        registered_by=county.procuratorate,
    )


@pytest.fixture
def make_volunteer(county: County) -> Callable[..., Volunteer]:
    """make_volunteer(checked=CLEAR | BARRED | None, days_ago=10): a volunteer of a social-work
    team written directly, with a staff-checks item for their person (none for None)."""
    team = Team.objects.create(kind=Team.Kind.SOCIAL_WORK, name="社工志愿者队")

    def make(checked: str | None = CheckItem.Result.CLEAR, *, days_ago: int = 10) -> Volunteer:
        n = next(_seq)
        person = Person(
            name=f"志愿者{n}",
            sex=Person.Sex.MALE,
            birth_date=date(1990, 5, 1),
            registered_by=county.procuratorate,
        )
        person.set_id_number(id_for(date(1990, 5, 1), n % 1000))
        person.save()
        volunteer = Volunteer.objects.create(person=person, team=team, township=county.township_a)
        if checked is not None:
            when = timezone.now() - timedelta(days=days_ago)
            batch = CheckBatch.objects.create(
                unit=county.school_a,
                kind=CheckBatch.Kind.NEW_HIRE,
                year=when.year,
                status=CheckBatch.Status.DONE,
                consent_confirmed=True,
                created_at=when,
                completed_at=when,
            )
            CheckItem.objects.create(
                batch=batch,
                id_hash=person.id_number_hash,
                name_key=normalise_name(person.name),
                birth_date=person.birth_date,
                name_encrypted=crypto.encrypt(person.name),
                id_number_encrypted=person.id_number_encrypted,
                result=checked,
                checked_at=when,
            )
        return volunteer

    return make


@pytest.fixture
def supervisor_b(county: County) -> User:
    """The children's supervisor of township B (not of child A's township)."""
    unit = Organisation.objects.create(
        name="公溪镇人民政府", kind=Organisation.Kind.TOWNSHIP, division=county.township_b
    )
    user = make_user("supervisor_b", unit, Role.CASE_WORKER, full_name="赵督导")
    appoint(CareAppointment.Role.SUPERVISOR, county.township_b, user)
    return user
