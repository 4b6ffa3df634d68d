"""The yearly summary per sending body, and its audited Excel export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from weibao.accounts.models import Organisation
from weibao.audit.models import AuditEvent
from weibao.legalvp import services

pytestmark = pytest.mark.usefixtures("midyear")


@pytest.fixture
def court(county) -> Organisation:
    return Organisation.objects.create(
        name="乐安县人民法院", kind=Organisation.Kind.COURT, division=county.county
    )


def test_summary_per_sending_body(
    bureau, admin_a, make_appointment, school_a, school_b, court
) -> None:
    year = timezone.localdate().year
    today = timezone.localdate()
    first = make_appointment([school_a, school_b], seq=1)
    make_appointment([school_a], seq=2, name="李法官", sending_unit=court)
    for kind, hours in (("FD1", "3"), ("FD1", "2"), ("FD4", "1.5")):
        services.duty_record_add(
            actor=bureau,
            appointment=first,
            data={"school": school_a, "kind": kind, "hours": Decimal(hours), "date": today},
        )
    services.evaluation_set(
        actor=admin_a, appointment=first, school=school_a, year=year, grade="excellent"
    )
    rows = {row.unit.name: row for row in services.yearly_summary(year)}
    proc = rows["乐安县人民检察院"]
    assert (proc.appointments, proc.schools) == (1, 2)
    assert (proc.law_hours, proc.duty_hours) == (Decimal(5), Decimal("6.5"))
    assert proc.below_minimum == 0
    assert proc.grades == {"excellent": 1}
    assert (rows["乐安县人民法院"].appointments, rows["乐安县人民法院"].below_minimum) == (1, 1)


def test_export_is_audited_with_purpose(bureau, appointment) -> None:
    year = timezone.localdate().year
    content = services.summary_export(actor=bureau, year=year, purpose="年度考核汇总")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "Sending body"
    assert sheet["A2"].value == "乐安县人民检察院"
    event = AuditEvent.objects.get(action="export")
    assert event.detail["purpose"] == "年度考核汇总"


def test_export_without_purpose_is_refused(bureau) -> None:
    with pytest.raises(ValidationError) as caught:
        services.summary_export(actor=bureau, year=2026, purpose="  ")
    assert "purpose" in caught.value.message_dict
    assert not AuditEvent.objects.filter(action="export").exists()
