"""ruleset_update: each change is a new, audited version; grades and intervals follow it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, GradingRuleSet
from weibao.atrisk.tests.conftest import report
from weibao.audit.models import AuditEvent


def test_a_change_is_a_new_version_and_the_old_stays(coordinator):
    first = services.active_rules()
    new = services.ruleset_update(actor=coordinator, data={"contact_days_t2": 10}, note="加密走访")
    assert new.version == first.version + 1 and new.contact_days_t2 == 10
    assert GradingRuleSet.objects.count() == 2
    assert GradingRuleSet.objects.get(pk=first.pk).is_active is False
    audit = AuditEvent.objects.get(target_type="atrisk.gradingruleset")
    assert audit.detail["changes"] == {"contact_days_t2": ["14", "10"]}


def test_bad_values_name_the_field_and_change_nothing(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.ruleset_update(actor=coordinator, data={"warning_threshold": 0}, note="测试修改")
    assert "warning_threshold" in exc.value.message_dict
    assert GradingRuleSet.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.ruleset_update(actor=coordinator, data={}, note="")
    assert "note" in exc.value.message_dict


def test_repeat_threshold_change_regrades_at_the_nightly_recompute(coordinator, liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02", days_ago=30)
    report(liaison_a, [pupil_a], "BL02", days_ago=20)
    assert AtRiskFile.objects.get().grade == "T1"
    services.ruleset_update(actor=coordinator, data={"repeat_threshold": 2}, note="两次即为多次")
    services.scores_recompute_all()
    file = AtRiskFile.objects.get()
    assert (file.grade, file.grade_rule, file.ruleset_version) == ("T1P", "T1P:repeat", 2)
