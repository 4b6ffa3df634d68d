"""Retention fixtures: the clock frozen on 2030-06-01, records made long before it (in 2024),
people who are long adults, young adults and minors then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile

from weibao.atrisk.models import AtRiskFile, Contact
from weibao.atrisk.tests.conftest import make_person
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework.models import Case
from weibao.core.models import Attachment
from weibao.staffchecks.models import CheckBatch, CheckItem
from weibao.testing import County

TZ = ZoneInfo("Asia/Shanghai")
PAST = datetime(2024, 3, 1, 10, 0, tzinfo=TZ)
NOW = datetime(2030, 6, 1, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """These tests assert on the English message ids."""


@pytest.fixture
def now() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def old_records(county: County, coordinator: Any) -> dict[str, Any]:
    """Made on 2024-03-01: closed files and reports of an adult (18 in 2018), of a young adult
    (18 in 2028), an open file of a minor; check items of 2024 and of 2030."""
    with time_machine.travel(PAST, tick=False):
        for n in range(3):
            record(AuditEvent.Action.VIEW, username="old_user", target_repr=f"old {n}")
        adult = make_person("李成年", county.school_a, birth_date=date(2000, 1, 10), seq=51)
        young = make_person("周青年", county.school_a, birth_date=date(2010, 1, 10), seq=52)
        minor = make_person("吴小童", county.school_a, birth_date=date(2016, 5, 5), seq=53)

        def closed_file(person: Any) -> AtRiskFile:
            return AtRiskFile.objects.create(
                person=person,
                unit=county.school_a,
                closed_at=date(2024, 2, 1),
                closed_reason=AtRiskFile.ClosedReason.TURNED_18,
            )

        adult_file = closed_file(adult)
        young_file = closed_file(young)
        open_file = AtRiskFile.objects.create(person=minor, unit=county.school_a)
        contact = Contact.objects.create(file=adult_file, due_date=date(2023, 5, 1), notes="家访")
        attachment = Attachment.objects.create(
            file=ContentFile(b"%PDF-1.4 visit", name="visit.pdf"),
            name="家访记录.pdf",
            content_type="application/pdf",
            size=14,
            sha256="0" * 64,
            owner_id=str(contact.pk),
            owner_type_id=_ct(Contact),
        )

        def case(child: Any, status: str = Case.Status.CLOSED) -> Case:
            return Case.objects.create(
                reporting_unit=county.school_a,
                reporter_name="王老师",
                child=child,
                child_description="" if child else "约十岁男孩",
                seen="伤痕",
                place="校门口",
                division=county.village_a,
                status=status,
            )

        adult_case = case(adult)
        young_case = case(young)
        open_case = case(adult, Case.Status.ACCEPTED)
        unknown_case = case(None)

        batch = CheckBatch.objects.create(unit=county.school_a, kind="annual", year=2024)
        old_item = CheckItem.objects.create(
            batch=batch,
            id_hash="h" * 64,
            name_key="lichengnian",
            birth_date=date(1990, 7, 8),
            name_encrypted="x",
            id_number_encrypted="y",
            result=CheckItem.Result.CLEAR,
            checked_at=PAST,
        )
    with time_machine.travel(datetime(2030, 5, 1, tzinfo=TZ), tick=False):
        new_batch = CheckBatch.objects.create(unit=county.school_a, kind="annual", year=2030)
        new_item = CheckItem.objects.create(
            batch=new_batch,
            id_hash="n" * 64,
            name_key="xin",
            birth_date=date(1991, 7, 8),
            name_encrypted="x",
            id_number_encrypted="y",
            checked_at=datetime(2030, 5, 1, tzinfo=TZ),
        )
    return {
        "adult": adult,
        "adult_file": adult_file,
        "young_file": young_file,
        "open_file": open_file,
        "contact": contact,
        "attachment": attachment,
        "adult_case": adult_case,
        "young_case": young_case,
        "open_case": open_case,
        "unknown_case": unknown_case,
        "old_item": old_item,
        "new_item": new_item,
    }


def _ct(model: Any) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def assessment_data(**changes: Any) -> dict[str, Any]:
    return {
        "purpose": "入职查询",
        "legal_basis": "未成年人保护法第六十二条",
        "data_kinds": "姓名、身份证号码",
        "who_may_see": "用人单位、检察院",
        "risks": "记录外泄",
        "measures": "加密、脱敏、留痕",
        "assessed_on": date(2030, 5, 20),
        "assessed_by": "县检察院",
        "next_review": date(2031, 5, 20),
        **changes,
    }
