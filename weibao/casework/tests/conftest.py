"""Fixtures for casework: a hospital, civil affairs and a court in the test county, and reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from weibao.accounts.models import Organisation, Role, User
from weibao.casework import services
from weibao.casework.models import Case
from weibao.people.models import Person
from weibao.testing import County, id_for, make_user


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture
def hospital(county: County) -> Organisation:
    return Organisation.objects.create(
        name="乐安县人民医院", kind=Organisation.Kind.HOSPITAL, division=county.village_a
    )


@pytest.fixture
def civil_affairs(county: County) -> Organisation:
    return Organisation.objects.create(
        name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
    )


@pytest.fixture
def bureau(county: County) -> Organisation:
    """The county public-security bureau, above police station A."""
    bureau = Organisation.objects.create(
        name="乐安县公安局", kind=Organisation.Kind.PUBLIC_SECURITY, division=county.county
    )
    county.police_a.parent = bureau
    county.police_a.save(update_fields=["parent"])
    return bureau


@pytest.fixture
def nurse(hospital: Organisation) -> User:
    return make_user("nurse", hospital, Role.CASE_WORKER, full_name="护士甲")


@pytest.fixture
def nurse_b(hospital: Organisation) -> User:
    return make_user("nurse_b", hospital, Role.CASE_WORKER)


@pytest.fixture
def prosecutor(county: County) -> User:
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)


@pytest.fixture
def relief_worker(civil_affairs: Organisation) -> User:
    return make_user("relief", civil_affairs, Role.CASE_WORKER)


@pytest.fixture
def girl(county: County) -> Person:
    birth = date(2015, 3, 1)
    person = Person(
        name="李小红",
        sex="F",
        birth_date=birth,
        division=county.village_a,
        school=county.school_a,
        registered_by=county.school_a,
    )
    person.set_id_number(id_for(birth, 124))
    person.save()
    return person


def report_data(county: County, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "situations": ["MR04"],
        "child_description": "约10岁女孩，身上多处淤青",
        "seen": "急诊发现多处陈旧性伤痕",
        "place": "鳌溪村",
        "division": county.village_a,
        "reporter_name": "张医生",
        "reporter_phone": "13800138000",
        "reporter_position": "急诊科医生",
    }
    data.update(extra)
    return data


@pytest.fixture
def file_report(county: County) -> Callable[..., Case]:
    def make(actor: User, **extra: Any) -> Case:
        case, _created = services.report_file(actor=actor, data=report_data(county, **extra))
        return case

    return make
