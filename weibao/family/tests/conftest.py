"""Family fixtures: the civil-affairs bureau's and the women's federation's clerks (the network's
keepers), a law-education team led by a social worker, the lecturers' team, a children's home
in village A, school A, a `volunteer` factory going through the service and a `cleared` helper
that writes a staff-checks result for a volunteer directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from weibao.accounts.models import Organisation, Role, User
from weibao.family import services
from weibao.family.models import Site, Team, Volunteer
from weibao.kit import crypto
from weibao.schools.models import School
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import CheckBatch, CheckItem
from weibao.testing import County, id_for, make_user

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county, a term-time Tuesday
TODAY = date(2026, 9, 15)
_seq = count(100)

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷"]


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def adult_id(birth: date = date(1990, 5, 1)) -> str:
    """A valid ID number of the county, never the same twice in a run."""
    return id_for(birth, next(_seq) % 1000)


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
    """A read-only user of the civil-affairs bureau: reads the network, keeps nothing."""
    return make_user("civil_reader", civil_affairs, Role.READ_ONLY)


@pytest.fixture
def womens(county: County) -> User:
    unit = Organisation.objects.create(
        name="乐安县妇女联合会", kind=Organisation.Kind.WOMENS_FEDERATION, division=county.county
    )
    return make_user("womens", unit, Role.CASE_WORKER)


@pytest.fixture
def social_work(county: County) -> Organisation:
    return Organisation.objects.create(
        name="乐安县阳光社工服务中心", kind=Organisation.Kind.SOCIAL_WORK, division=county.county
    )


@pytest.fixture
def team_lead(social_work: Organisation) -> User:
    return make_user("team_lead", social_work, Role.CASE_WORKER)


@pytest.fixture
def other_lead(social_work: Organisation) -> User:
    """A social worker leading no team."""
    return make_user("other_lead", social_work, Role.CASE_WORKER)


@pytest.fixture
def team(team_lead: User) -> Team:
    return Team.objects.create(
        kind=Team.Kind.LAW_EDUCATION, name="法治宣教志愿者队", lead=team_lead
    )


@pytest.fixture
def lecturers_team(other_lead: User) -> Team:
    return Team.objects.create(kind=Team.Kind.LECTURERS, name="家庭教育讲师团", lead=other_lead)


def site_data(county: County, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": Site.Kind.CHILDRENS_HOME,
        "name": "鳌溪村儿童之家",
        "village": county.village_a,
        "address": "鳌溪村村委会二楼",
        "latitude": "27.430000",
        "longitude": "115.830000",
        "opening_hours": "周末 9:00-17:00",
        "contact_name": "李主任",
        "contact_phone": "0794-6512345",
        "status": Site.Status.OPEN,
    }
    data.update(extra)
    return data


@pytest.fixture
def site(county: County, civil: User) -> Site:
    return services.site_create(actor=civil, data=site_data(county))


@pytest.fixture
def school_a(county: County) -> School:
    return School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)


@pytest.fixture
def make_volunteer(county: County, civil: User, team: Team) -> Callable[..., Volunteer]:
    """make_volunteer(name=..., team=..., township=..., ...) through volunteer_create."""
    names = iter(NAMES)

    def make(actor: User | None = None, **extra: Any) -> Volunteer:
        data: dict[str, Any] = {
            "name": next(names),
            "id_number": adult_id(),
            "phone": "13800000000",
            "team": team,
            "township": county.township_a,
            "skills": "法治讲座",
            "availability": Volunteer.Availability.WEEKENDS,
        }
        data.update(extra)
        return services.volunteer_create(actor=actor or civil, data=data)

    return make


@pytest.fixture
def volunteer(make_volunteer: Callable[..., Volunteer]) -> Volunteer:
    return make_volunteer(name="张伟")


@pytest.fixture
def check_unit(county: County) -> Organisation:
    return county.school_a


@pytest.fixture
def cleared(check_unit: Organisation) -> Callable[..., CheckItem]:
    """cleared(volunteer, result=CLEAR, days_ago=10, done=True): a staff-checks item for the
    volunteer's person, written directly (the check itself is staff checks' business)."""

    def make(
        volunteer: Volunteer,
        result: str = CheckItem.Result.CLEAR,
        *,
        days_ago: int = 10,
        done: bool = True,
    ) -> CheckItem:
        when = timezone.now() - timedelta(days=days_ago)
        batch = CheckBatch.objects.create(
            unit=check_unit,
            kind=CheckBatch.Kind.NEW_HIRE,
            year=when.year,
            status=CheckBatch.Status.DONE if done else CheckBatch.Status.RUNNING,
            consent_confirmed=True,
            created_at=when,
            completed_at=when if done else None,
        )
        person = volunteer.person
        return CheckItem.objects.create(
            batch=batch,
            id_hash=person.id_number_hash,
            name_key=normalise_name(person.name),
            birth_date=person.birth_date,
            name_encrypted=crypto.encrypt(person.name),
            id_number_encrypted=person.id_number_encrypted,
            result=result,
            checked_at=when if result != CheckItem.Result.QUEUED else None,
        )

    return make
