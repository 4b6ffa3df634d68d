"""Fixtures shared by every app's tests: a small county and a user for each kind of reader."""

from __future__ import annotations

import pytest

from weibao.accounts.models import Role, User
from weibao.testing import County, logged_in, make_county, make_user


@pytest.fixture
def county(db: None) -> County:
    return make_county()


@pytest.fixture
def coordinator(county: County) -> User:
    return make_user("coordinator", county.procuratorate, Role.COUNTY_COORDINATOR)


@pytest.fixture
def liaison_a(county: County) -> User:
    return make_user("liaison_a", county.school_a, Role.CAMPUS_LIAISON)


@pytest.fixture
def liaison_b(county: County) -> User:
    return make_user("liaison_b", county.school_b, Role.CAMPUS_LIAISON)


@pytest.fixture
def admin_a(county: County) -> User:
    return make_user("admin_a", county.school_a, Role.UNIT_ADMIN)


@pytest.fixture
def police(county: County) -> User:
    return make_user("police_a", county.police_a, Role.CASE_WORKER)


@pytest.fixture
def township_worker(county: County) -> User:
    return make_user("township_a", county.township_gov_a, Role.CASE_WORKER)


@pytest.fixture
def outsider(county: County) -> User:
    return make_user("hotel_clerk", county.hotel, Role.READ_ONLY)


@pytest.fixture
def sysadmin(county: County) -> User:
    return make_user("sysadmin", county.procuratorate, Role.SYSADMIN)


@pytest.fixture
def auditor(county: County) -> User:
    return make_user("auditor", county.procuratorate, Role.AUDITOR)


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    """client_for(user) -> a signed-in test client."""
    return logged_in
