from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.people.services import person_reveal


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_reveal_returns_the_value_and_records_field_and_reason(liaison_a, pupil_a, field):
    value = person_reveal(actor=liaison_a, person=pupil_a, field=field, reason=" 家访 核实 ")
    assert value == getattr(pupil_a, field)
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert event.detail == {"field": field, "reason": "家访 核实"}
    assert event.target_id == str(pupil_a.pk)
    assert value not in str(event.detail) + event.target_repr


@pytest.mark.parametrize("reason", ["", "   ", "abc"])
def test_reveal_needs_a_reason(liaison_a, pupil_a, reason) -> None:
    with pytest.raises(ValidationError) as caught:
        person_reveal(actor=liaison_a, person=pupil_a, field="id_number", reason=reason)
    assert "reason" in caught.value.message_dict
    assert not AuditEvent.objects.exists()


def test_only_id_number_and_phone_can_be_revealed(liaison_a, pupil_a) -> None:
    with pytest.raises(ValidationError) as caught:
        person_reveal(actor=liaison_a, person=pupil_a, field="name", reason="for a visit")
    assert "field" in caught.value.message_dict
