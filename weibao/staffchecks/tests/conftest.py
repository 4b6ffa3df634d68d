"""Fixtures for staff checks: rosters, register records and Excel files made in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from weibao.accounts.models import Role, User
from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.staffchecks.matching import id_hash, normalise_name
from weibao.staffchecks.models import OffenderRecord, RegisterImport, StaffMember
from weibao.testing import County, make_roster, make_user, xlsx_upload

ROSTER_HEADER = ["Name", "ID number", "Role", "Start date", "End date"]


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture
def make_xlsx() -> Callable[..., Any]:
    return xlsx_upload


@pytest.fixture
def roster_a(county: County, admin_a: User) -> list[StaffMember]:
    """Three teachers on school A's roster."""
    return make_roster(county, admin_a)


@pytest.fixture
def register(county: County, police: User) -> RegisterImport:
    return RegisterImport.objects.create(organisation=county.police_a, imported_by=police, rows=0)


@pytest.fixture
def add_record(register: RegisterImport) -> Callable[..., OffenderRecord]:
    def add(  # the register as an import stores it: the number parsed, then hashed
        name: str, number: str, birth: date, categories: str = "sexual"
    ) -> OffenderRecord:
        return OffenderRecord.objects.create(
            id_hash=id_hash(number) if number else "",
            name_key=normalise_name(name),
            birth_date=birth,
            categories=categories,
            name_encrypted=crypto.encrypt(name),
            id_number_encrypted=crypto.encrypt(idnumber.parse(number).number if number else ""),
            source=register,
        )

    return add


@pytest.fixture
def edu_user(county: County) -> User:
    return make_user("edu", county.education, Role.CASE_WORKER)


@pytest.fixture
def prosecutor(county: County) -> User:
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)
