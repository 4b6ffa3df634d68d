from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.people.models import Person
from weibao.people.services import DuplicatePerson, person_update
from weibao.testing import id_for


def test_update_changes_given_fields_and_audits_a_masked_diff(liaison_a, pupil_a) -> None:
    person_update(actor=liaison_a, person=pupil_a, data={"name": "张三丰", "phone": "13900001111"})
    pupil_a.refresh_from_db()
    assert pupil_a.name == "张三丰"
    assert pupil_a.name_pinyin == "zhangsanfeng"
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["changes"] == {
        "name": ["张*", "张*丰"],
        "phone": ["138****5678", "139****1111"],
    }


def test_new_id_number_resets_birth_date_and_sex(liaison_a, pupil_a) -> None:
    new_id = id_for(date(2016, 1, 2), 42)
    person_update(actor=liaison_a, person=pupil_a, data={"id_number": new_id})
    pupil_a.refresh_from_db()
    assert (pupil_a.id_number, pupil_a.birth_date, pupil_a.sex) == (new_id, date(2016, 1, 2), "F")
    changes = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE).detail["changes"]
    assert new_id not in str(changes)
    assert set(changes) == {"id_number", "birth_date", "sex"}


def test_blank_id_number_keeps_the_stored_one(liaison_a, pupil_a) -> None:
    old = pupil_a.id_number
    person_update(actor=liaison_a, person=pupil_a, data={"id_number": "", "grade": "四年级"})
    pupil_a.refresh_from_db()
    assert pupil_a.id_number == old
    assert pupil_a.grade == "四年级"


def test_birth_date_must_agree_with_the_stored_id_number(liaison_a, pupil_a) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(actor=liaison_a, person=pupil_a, data={"birth_date": date(2015, 3, 2)})
    assert "birth_date" in caught.value.message_dict
    # The caller's object is put back as stored, and nothing was written.
    assert pupil_a.birth_date == date(2015, 3, 1)
    assert Person.objects.get().birth_date == date(2015, 3, 1)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_invalid_id_number_leaves_the_record_unchanged(liaison_a, pupil_a) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(actor=liaison_a, person=pupil_a, data={"id_number": "12345", "name": "改名"})
    assert "id_number" in caught.value.message_dict
    assert Person.objects.get().name == "张三"
    assert pupil_a.name == "张三"


def test_changing_to_another_persons_id_number_is_a_duplicate(coordinator, pupil_a, pupil_b):
    with pytest.raises(DuplicatePerson) as caught:
        person_update(actor=coordinator, person=pupil_a, data={"id_number": pupil_b.id_number})
    assert caught.value.existing == pupil_b


def test_school_user_cannot_move_a_pupil_to_another_school(liaison_a, pupil_a, county) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(actor=liaison_a, person=pupil_a, data={"school": county.school_b})
    assert "school" in caught.value.message_dict
    assert Person.objects.get().school == county.school_a


def test_no_change_writes_no_event(liaison_a, pupil_a) -> None:
    person_update(actor=liaison_a, person=pupil_a, data={"name": "张三"})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()
