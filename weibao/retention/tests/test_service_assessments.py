"""Impact assessments: recorded and revised by the coordinator, with bad dates refused, and
kept at least three years (PIPL Art. 56): deletion before then is refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.retention import services
from weibao.retention.models import ImpactAssessment
from weibao.retention.tests.conftest import TZ, assessment_data

pytestmark = pytest.mark.django_db


def test_create_and_update(now, coordinator) -> None:
    made = services.assessment_create(actor=coordinator, data=assessment_data())
    assert made.created_by == coordinator and made.keep_until == date(2033, 5, 20)
    services.assessment_update(
        actor=coordinator, assessment=made, data=assessment_data(risks="新的风险")
    )
    made.refresh_from_db()
    assert made.risks == "新的风险"
    event = AuditEvent.objects.get(action="update", target_type="retention.impactassessment")
    assert event.detail["changes"]["risks"] == ["记录外泄", "新的风险"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"next_review": date(2030, 5, 1)}, "next_review"),
        ({"assessed_on": date(2030, 7, 1), "next_review": date(2031, 7, 1)}, "assessed_on"),
        ({"purpose": ""}, "purpose"),
        ({"assessed_on": None}, "assessed_on"),
    ],
)
def test_bad_input_refused(now, coordinator, changes, field) -> None:
    with pytest.raises(ValidationError) as error:
        services.assessment_create(actor=coordinator, data=assessment_data(**changes))
    assert field in error.value.message_dict
    assert not ImpactAssessment.objects.exists()


def test_delete_refused_before_three_years(now, coordinator) -> None:
    made = services.assessment_create(actor=coordinator, data=assessment_data())
    with pytest.raises(ValidationError, match="at least three years"):
        services.assessment_delete(actor=coordinator, assessment=made)
    assert ImpactAssessment.objects.filter(pk=made.pk).exists()
    with (
        time_machine.travel(datetime(2033, 5, 19, 12, tzinfo=TZ), tick=False),
        pytest.raises(ValidationError),
    ):
        services.assessment_delete(actor=coordinator, assessment=made)
    with time_machine.travel(datetime(2033, 5, 20, 12, tzinfo=TZ), tick=False):
        services.assessment_delete(actor=coordinator, assessment=made)
    assert not ImpactAssessment.objects.exists()
    assert AuditEvent.objects.filter(action="delete", target_id=str(made.pk)).exists()
