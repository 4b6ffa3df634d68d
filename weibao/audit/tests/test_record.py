"""`record` masks sensitive values wherever they appear in an event's details."""

from __future__ import annotations

import json

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.people.models import Person

ID = "36102520150304123X"


def test_masks_top_level_details(liaison_a: User, pupil: Person) -> None:
    event = record(
        AuditEvent.Action.SEARCH,
        actor=liaison_a,
        id_number=ID,
        phone="13812345678",
        name="张小明",
        full_name="欧阳小明",
        password="Secret-123",
        reason="家访",
    )
    event.refresh_from_db()
    assert event.detail == {
        "id_number": "361025********123X",
        "phone": "138****5678",
        "name": "张*明",
        "full_name": "欧**明",
        "password": "******",
        "reason": "家访",
    }
    text = json.dumps(event.detail, ensure_ascii=False)
    for secret in (ID, "13812345678", "张小明", "Secret-123"):
        assert secret not in text


def test_masks_old_and_new_values_in_changes(liaison_a: User, pupil: Person) -> None:
    event = record(
        AuditEvent.Action.UPDATE,
        actor=liaison_a,
        target=pupil,
        target_repr=pupil.masked_name,
        changes={"name": ["张小明", "张晓明"], "phone": [None, "13812345678"], "grade": ["3", "4"]},
    )
    assert event.detail["changes"] == {
        "name": ["张*明", "张*明"],
        "phone": [None, "138****5678"],
        "grade": ["3", "4"],
    }
    assert event.target_type == "people.person" and event.target_id == str(pupil.pk)


def test_chains_each_event_to_the_previous(liaison_a: User) -> None:
    first = record(AuditEvent.Action.VIEW, actor=liaison_a)
    second = record(AuditEvent.Action.VIEW, actor=liaison_a)
    assert second.prev_hash == first.hash
    assert second.hash == second.compute_hash()
