"""Changing a rule: the old one is closed, a new one opened (never edited in place); a rule
under the minimum, a negative or zero period and an action the kind does not allow are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.retention import services
from weibao.retention.models import RetentionRule

pytestmark = pytest.mark.django_db


def test_change_closes_old_and_opens_new(now, coordinator) -> None:
    old = RetentionRule.objects.current().get(kind="atrisk_files")
    new = services.rule_change(
        actor=coordinator,
        kind="atrisk_files",
        data={"keep_days": 3653, "action": "archive", "reason": "县里决定"},
    )
    old.refresh_from_db()
    assert old.valid_to == new.valid_from and old.keep_days == 5 * 365 + 1
    assert RetentionRule.objects.current().get(kind="atrisk_files") == new
    assert new.set_by == coordinator and new.keep_days == 3653
    assert RetentionRule.objects.filter(kind="atrisk_files").count() == 2
    event = AuditEvent.objects.get(target_type="retention.retentionrule", target_id=str(new.pk))
    assert event.detail["changes"]["keep_days"] == ["1826", "3653"]
    assert event.detail["replaces"] == old.pk


def test_audit_rule_under_six_months_refused(now, coordinator) -> None:
    with pytest.raises(ValidationError) as error:
        services.rule_change(
            actor=coordinator, kind="audit_events", data={"keep_days": 182, "action": "report"}
        )
    text = str(error.value.message_dict["keep_days"])
    assert "183" in text and "Cybersecurity Law requires network logs" in text
    assert RetentionRule.objects.filter(kind="audit_events").count() == 1
    # 183 days is allowed.
    services.rule_change(
        actor=coordinator, kind="audit_events", data={"keep_days": 183, "action": "report"}
    )
    assert RetentionRule.objects.current().get(kind="audit_events").keep_days == 183


@pytest.mark.parametrize("days", [-5, 0, None, 10**9])
def test_bad_periods_refused(now, coordinator, days) -> None:
    with pytest.raises(ValidationError) as error:
        services.rule_change(
            actor=coordinator, kind="cases", data={"keep_days": days, "action": "archive"}
        )
    assert "keep_days" in error.value.message_dict
    assert RetentionRule.objects.filter(kind="cases").count() == 1


def test_audit_events_cannot_be_erased(now, coordinator) -> None:
    with pytest.raises(ValidationError) as error:
        services.rule_change(
            actor=coordinator, kind="audit_events", data={"keep_days": 1000, "action": "erase"}
        )
    assert "only be reported as due" in str(error.value.message_dict["action"])


def test_unchanged_and_unknown_refused(now, coordinator) -> None:
    current = RetentionRule.objects.current().get(kind="cases")
    data = {"keep_days": current.keep_days, "action": current.action, "reason": current.reason}
    with pytest.raises(ValidationError, match="unchanged"):
        services.rule_change(actor=coordinator, kind="cases", data=data)
    with pytest.raises(ValidationError):
        services.rule_change(actor=coordinator, kind="people", data=data)
    assert RetentionRule.objects.count() == 4
