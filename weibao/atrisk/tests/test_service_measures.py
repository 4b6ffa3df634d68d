"""measure_record, seal and unseal: who records what, sealed by law, reasons recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, Measure, MisconductEvent
from weibao.atrisk.tests.conftest import report
from weibao.audit.models import AuditEvent


@pytest.fixture
def file_a(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    return AtRiskFile.objects.get(person=pupil_a)


def test_a_school_cannot_record_police_measures(liaison_a, file_a):
    with pytest.raises(ValidationError) as exc:
        services.measure_record(
            actor=liaison_a, file=file_a, data={"kind": "PM01", "decided_on": timezone.localdate()}
        )
    assert exc.value.message_dict["kind"] == ["Your unit cannot record this kind of measure."]
    assert not Measure.objects.exists()


def test_non_prosecution_is_sealed_by_law_and_gives_t4_behind_the_seal(coordinator, file_a):
    m = services.measure_record(
        actor=coordinator,
        file=file_a,
        data={"kind": "non_prosecution", "decided_on": timezone.localdate()},
    )
    assert m.sealed and m.category == "prosecution"
    file_a.refresh_from_db()
    assert file_a.sealed_grade == "T4" and file_a.grade == "T1"


def test_unseal_needs_a_coordinator_and_a_reason(coordinator, police, pupil_a):
    event = report(police, [pupil_a], "SB04", sealed=True)
    with pytest.raises(ValidationError) as exc:
        services.record_unseal(actor=police, obj=event, reason="新罪合并执行")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_unseal(actor=coordinator, obj=event, reason="")
    assert "reason" in exc.value.message_dict
    assert MisconductEvent.objects.get(pk=event.pk).sealed
    services.record_unseal(actor=coordinator, obj=event, reason="发现漏罪，合并执行超过五年")
    assert not MisconductEvent.objects.get(pk=event.pk).sealed
    audit = AuditEvent.objects.filter(target_type="atrisk.misconductevent", action="update").first()
    assert audit is not None and audit.detail["reason"].startswith("发现漏罪")
    assert AtRiskFile.objects.get(person=pupil_a).grade == "T2"


def test_seal_hides_and_regrades(police, pupil_a):
    event = report(police, [pupil_a], "SB04")
    services.record_seal(actor=police, obj=event, reason="依法封存记录")
    file = AtRiskFile.objects.get(person=pupil_a)
    assert file.grade == "T0" and file.sealed_grade == "T2"
