from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.people.models import LeftBehindStatus
from weibao.people.services import left_behind_set


def test_status_is_created_then_updated_with_audit(liaison_a, pupil_a, parent_a) -> None:
    today = timezone.localdate()
    status = left_behind_set(
        actor=liaison_a,
        child=pupil_a,
        data={"parents_away": "both", "entrusted_carer": parent_a, "last_contact_date": today},
    )
    assert status.entrusted_carer == parent_a
    assert not status.contact_overdue
    left_behind_set(actor=liaison_a, child=pupil_a, data={"carer_disqualified": True})
    status.refresh_from_db()
    assert status.carer_disqualified and status.parents_away == "both"
    created, updated = AuditEvent.objects.order_by("id")
    assert created.action == AuditEvent.Action.CREATE
    assert updated.action == AuditEvent.Action.UPDATE
    assert updated.detail["changes"] == {"carer_disqualified": ["False", "True"]}
    assert updated.target_id == str(pupil_a.pk)


def test_contact_older_than_a_week_is_overdue(liaison_a, pupil_a) -> None:
    status = left_behind_set(
        actor=liaison_a,
        child=pupil_a,
        data={
            "parents_away": "both",
            "last_contact_date": timezone.localdate() - timedelta(days=8),
        },
    )
    assert status.contact_overdue


@pytest.mark.parametrize("case", ["adult", "minor_carer", "future", "no_parents_away"])
def test_bad_status_is_refused(liaison_a, pupil_a, parent_a, pupil_b, case) -> None:
    child, data, field = {
        "adult": (parent_a, {"parents_away": "both"}, "__all__"),
        "minor_carer": (
            pupil_a,
            {"parents_away": "both", "entrusted_carer": pupil_b},
            "entrusted_carer",
        ),
        "future": (
            pupil_a,
            {"parents_away": "both", "written_notice_date": timezone.localdate() + timedelta(1)},
            "written_notice_date",
        ),
        "no_parents_away": (pupil_a, {}, "parents_away"),
    }[case]
    with pytest.raises(ValidationError) as caught:
        left_behind_set(actor=liaison_a, child=child, data=data)
    assert field in caught.value.message_dict
    assert not LeftBehindStatus.objects.exists()
    assert not AuditEvent.objects.exists()
