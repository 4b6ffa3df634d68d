"""Legal vice-principal fixtures: school records for schools A and B, the bureau's clerk, a
prosecutor, an appointee with an account, and an appointment at school A."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from weibao.accounts.models import Role, User
from weibao.legalvp import services
from weibao.legalvp.models import Appointment
from weibao.schools.models import School
from weibao.testing import County, id_for, make_user

BIRTH_VP = date(1980, 5, 4)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture
def midyear() -> Iterator[None]:
    """Today is 15 June 2026: "this year", "a week ago" and "a year ago" never straddle a
    New Year (use it with pytestmark = pytest.mark.usefixtures("midyear"))."""
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def school_a(county: County) -> School:
    return School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)


@pytest.fixture
def school_b(county: County) -> School:
    return School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)


@pytest.fixture
def make_school(county: County) -> Callable[..., School]:
    """make_school(name) -> another open primary school in township A."""
    from weibao.accounts.models import Organisation

    def make(name: str, **fields: Any) -> School:
        unit = Organisation.objects.create(
            name=name,
            kind=Organisation.Kind.SCHOOL_PRIMARY,
            division=county.village_a,
            parent=county.education,
        )
        fields.setdefault("kind", School.Kind.PRIMARY)
        return School.objects.create(organisation=unit, **fields)

    return make


@pytest.fixture
def bureau(county: County) -> User:
    """A case worker at the education bureau: manages appointments."""
    return make_user("bureau", county.education, Role.CASE_WORKER)


@pytest.fixture
def prosecutor(county: County) -> User:
    """A case worker at the procuratorate (the sending body), not the appointee."""
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)


@pytest.fixture
def vp_user(county: County) -> User:
    """The appointee's own account, at the procuratorate."""
    return make_user("vp_wang", county.procuratorate, Role.CASE_WORKER, full_name="王正义")


def term_start() -> date:
    """A term that began a year ago: active now, and duties this year fall within it."""
    return timezone.localdate() - timedelta(days=365)


@pytest.fixture
def make_appointment(bureau: User, county: County) -> Callable[..., Appointment]:
    def make(
        schools: list[School], *, seq: int = 1, name: str = "王正义", **data: Any
    ) -> Appointment:
        values = {
            "name": name,
            "id_number": id_for(BIRTH_VP, seq),
            "sending_unit": county.procuratorate,
            "position": "副检察长",
            "phone": "13900001111",
            "appointing_unit": county.education,
            "schools": schools,
            "term_start": term_start(),
            **data,
        }
        return services.appointment_create(actor=bureau, data=values)

    return make


@pytest.fixture
def appointment(make_appointment, school_a: School, vp_user: User) -> Appointment:
    """王正义 of the procuratorate at school A, with his own account."""
    return make_appointment([school_a], appointee_user=vp_user)
