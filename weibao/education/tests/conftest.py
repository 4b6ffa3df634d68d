"""Law-education fixtures: school records for schools A and B and a kindergarten, the bureau's
clerk, a term around today, the seeded topics, and a legal vice-principal at school A."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from openpyxl import Workbook

from weibao.accounts.models import Organisation, Role, User
from weibao.education import services
from weibao.education.models import Session, TeachingCase, Term, Topic
from weibao.legalvp import services as legalvp_services
from weibao.legalvp.models import Appointment
from weibao.schools.models import School
from weibao.testing import County, id_for, make_user


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
    """make_school(name, kind=..., village=...) -> another school."""

    def make(name: str, kind: str = School.Kind.PRIMARY, village: Any = None, **fields: Any):
        unit_kind = School.UNIT_KIND[School.Kind(kind)]
        unit = Organisation.objects.create(
            name=name,
            kind=unit_kind,
            division=village or county.village_a,
            parent=county.education,
        )
        return School.objects.create(organisation=unit, kind=kind, **fields)

    return make


@pytest.fixture
def kindergarten(make_school: Callable[..., School]) -> School:
    return make_school("鳌溪镇中心幼儿园", School.Kind.KINDERGARTEN)


@pytest.fixture
def bureau(county: County) -> User:
    """A case worker at the education bureau."""
    return make_user("bureau", county.education, Role.CASE_WORKER)


@pytest.fixture
def prosecutor(county: County) -> User:
    return make_user("prosecutor", county.procuratorate, Role.CASE_WORKER)


@pytest.fixture
def term(db: None) -> Term:
    """A term from 60 days ago to 60 days ahead."""
    today = timezone.localdate()
    return Term.objects.create(
        name="本学期", start=today - timedelta(days=60), end=today + timedelta(days=60)
    )


@pytest.fixture
def topics(db: None) -> list[Topic]:
    """The topics the data migration seeded."""
    return list(Topic.objects.all())


@pytest.fixture
def appointment(county: County, school_a: School, bureau: User) -> Appointment:
    """王正义 of the procuratorate, legal vice-principal of school A since a year ago."""
    return legalvp_services.appointment_create(
        actor=bureau,
        data={
            "name": "王正义",
            "id_number": id_for(date(1980, 5, 4), 1),
            "sending_unit": county.procuratorate,
            "appointing_unit": county.education,
            "schools": [school_a],
            "term_start": timezone.localdate() - timedelta(days=365),
        },
    )


@pytest.fixture
def session_data(school_a: School, topics: list[Topic]) -> Callable[..., dict[str, Any]]:
    """session_data(**changes) -> a good held session for pupils at school A, a week ago."""

    def make(**changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "school": school_a,
            "date": timezone.localdate() - timedelta(days=7),
            "status": Session.Status.HELD,
            "audience": Session.Audience.PUPILS,
            "grades": "三年级",
            "attendance": 120,
            "topics": topics[:2],
            "speaker_kind": Session.SpeakerKind.POLICE,
            "speaker_name": "吴军",
            "hours": 1,
        }
        data.update(changes)
        counted = {"attendance", *Session.GROUP_FIELDS.values()} & set(changes)
        if data["audience"] == Session.Audience.MIXED and not counted:
            # A family open day: pupils and parents, each counted.
            del data["attendance"]
            data.update(pupils_attending=60, parents_attending=60)
        return data

    return make


@pytest.fixture
def make_session(
    bureau: User, session_data: Callable[..., dict[str, Any]]
) -> Callable[..., Session]:
    """make_session(**changes) -> a saved session (recorded by the bureau)."""

    def make(**changes: Any) -> Session:
        return services.session_create(actor=bureau, data=session_data(**changes))

    return make


@pytest.fixture
def make_case(coordinator: User, topics: list[Topic]) -> Callable[..., TeachingCase]:
    """make_case(publish=True, **changes) -> a case proposed by the coordinator."""

    def make(publish: bool = True, actor: User | None = None, **changes: Any) -> TeachingCase:
        data = {
            "title": "小A被同学欺凌之后",
            "summary": "某小学四年级学生小A多次被同学索要财物……",
            "statute": "未成年人保护法",
            "article": "第三十九条",
            "age_group": TeachingCase.AgeGroup.PRIMARY,
            "topics": topics[:1],
            **changes,
        }
        case = services.case_propose(actor=actor or coordinator, data=data)
        if publish:
            case = services.case_decide(actor=coordinator, case=case, publish=True)
        return case

    return make


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] | None = None) -> io.BytesIO:
    """An uploaded workbook: the headers (the template's by default), then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header or [str(column.header) for column in services.COLUMNS]))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "sessions.xlsx"
    return buffer


def import_row(**values: Any) -> list[Any]:
    """A row in the template's column order; by default a good held session for pupils."""
    base = {
        "date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "status": "held",
        "audience": "pupils",
        "grades": "五年级",
        "pupils_attending": "80",
        "teachers_attending": "",
        "parents_attending": "",
        "topics": "预防校园欺凌、防溺水",
        "speaker_kind": "police officer",
        "speaker_name": "吴军",
        "speaker_unit": "鳌溪派出所",
        "hours": "1",
        "notice_sent": "",
        "receipts_returned": "",
        "notes": "",
    }
    audience = values.get("audience", "pupils")
    counted = {"pupils_attending", "teachers_attending", "parents_attending"} & set(values)
    if audience in ("teachers", "parents") and not counted:  # the count in its own column
        base["pupils_attending"], base[f"{audience}_attending"] = "", "80"
    base.update(values)
    return [base[column.key] for column in services.COLUMNS]
