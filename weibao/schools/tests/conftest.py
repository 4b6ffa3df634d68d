"""Schools fixtures: school records for the county's two schools, an education-bureau user,
and campus-liaison users to appoint."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from weibao.accounts.models import Role, User
from weibao.lib import creditcode
from weibao.schools.models import LiaisonAppointment, School
from weibao.schools.services import COLUMNS
from weibao.testing import County, make_user

CODE_A = creditcode.make("12", "361025", "MB0000001")
CODE_B = creditcode.make("12", "361025", "MB0000002")


def headers() -> list[str]:
    """The template's headers in the current language."""
    return [str(column.header) for column in COLUMNS]


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture
def record_a(county: County) -> School:
    """School A's record: a public primary school in village A."""
    county.school_a.credit_code = CODE_A
    county.school_a.save(update_fields=["credit_code"])
    return School.objects.create(
        organisation=county.school_a,
        kind=School.Kind.PRIMARY,
        address="鳌溪村1号",
        latitude=Decimal("27.430000"),
        longitude=Decimal("115.830000"),
        pupil_count=300,
        staff_count=25,
        principal_name="王校长",
        principal_phone="13800000001",
    )


@pytest.fixture
def record_b(county: County) -> School:
    """School B's record: a public junior secondary school in village B."""
    county.school_b.credit_code = CODE_B
    county.school_b.save(update_fields=["credit_code"])
    return School.objects.create(
        organisation=county.school_b, kind=School.Kind.JUNIOR, pupil_count=500
    )


@pytest.fixture
def education(county: County) -> User:
    """A case worker at the county education bureau."""
    return make_user("education", county.education, Role.CASE_WORKER)


@pytest.fixture
def liaison_a2(county: County) -> User:
    """A second campus liaison at school A."""
    return make_user("liaison_a2", county.school_a, Role.CAMPUS_LIAISON)


@pytest.fixture
def appointed_a(record_a: School, liaison_a: User, education: User) -> LiaisonAppointment:
    """liaison_a is school A's main liaison."""
    return LiaisonAppointment.objects.create(
        school=record_a, user=liaison_a, position=LiaisonAppointment.Position.MAIN,
        appointed_by=education,
    )  # fmt: skip


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] | None = None) -> io.BytesIO:
    """An uploaded workbook: the headers, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header or headers()))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "schools.xlsx"
    return buffer


def row(**values: Any) -> list[Any]:
    """A row in the template's column order; defaults are a good new school in township A."""
    base = {
        "name": "鳌溪村小学",
        "credit_code": "",
        "kind": "primary school",
        "ownership": "public",
        "township": "鳌溪镇",
        "village": "鳌溪村",
        "address": "",
        "latitude": "",
        "longitude": "",
        "pupil_count": "120",
        "staff_count": "12",
        "principal_name": "李校长",
        "principal_phone": "13900000002",
    }
    base.update(values)
    return [base[column.key] for column in COLUMNS]
