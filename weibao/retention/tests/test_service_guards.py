"""Every user-triggered retention service checks its actor itself: called directly by the
wrong user it raises PermissionDenied and writes nothing. The scheduler's run takes no actor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from weibao.audit.models import AuditEvent
from weibao.retention import services
from weibao.retention.models import ImpactAssessment, RetentionRule, RetentionRun
from weibao.retention.tests.conftest import assessment_data

pytestmark = pytest.mark.django_db

WRONG = ["auditor", "sysadmin", "liaison_a", "police", "outsider"]


def _state() -> list:
    return [
        list(m.objects.order_by("pk").values())
        for m in (RetentionRule, RetentionRun, ImpactAssessment, AuditEvent)
    ]


@pytest.fixture
def assessment(now, coordinator):
    return services.assessment_create(actor=coordinator, data=assessment_data())


CALLS = {
    "rule_change": lambda actor, a: services.rule_change(
        actor=actor, kind="cases", data={"keep_days": 99, "action": "archive"}
    ),
    "retention_preview": lambda actor, a: services.retention_preview(actor=actor),
    "assessment_create": lambda actor, a: services.assessment_create(
        actor=actor, data=assessment_data()
    ),
    "assessment_update": lambda actor, a: services.assessment_update(
        actor=actor, assessment=a, data=assessment_data(risks="改")
    ),
    "assessment_delete": lambda actor, a: services.assessment_delete(actor=actor, assessment=a),
}


@pytest.mark.parametrize("user", WRONG)
@pytest.mark.parametrize("call", list(CALLS))
def test_service_refuses_wrong_actor(request, assessment, user, call) -> None:
    actor = request.getfixturevalue(user)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[call](actor, assessment)
    assert _state() == before


@pytest.mark.parametrize("call", ["rule_change", "retention_preview", "assessment_update"])
def test_coordinator_allowed(coordinator, assessment, call) -> None:
    CALLS[call](coordinator, assessment)
