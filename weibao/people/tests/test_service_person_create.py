from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.people.models import Person
from weibao.people.services import DuplicatePerson, person_create
from weibao.testing import id_for

BIRTH = date(2014, 7, 8)
ID = id_for(BIRTH, 57)  # 7 is odd: male


def test_birth_date_sex_and_pinyin_come_from_the_id_number(liaison_a, county) -> None:
    person = person_create(actor=liaison_a, data={"name": " 曾 小明 ", "id_number": ID.lower()})
    person.refresh_from_db()
    assert person.name == "曾 小明"
    assert (person.birth_date, person.sex) == (BIRTH, "M")
    assert (person.name_pinyin, person.name_initials) == ("zengxiaoming", "zxm")
    assert person.id_number == ID
    assert person.id_number_encrypted != ID
    assert person.registered_by == county.school_a


def test_id_number_in_full_width_or_15_digits_is_normalised(coordinator) -> None:
    old = "361025" + "080512" + "123"  # a 15-digit number: born 1908-05-12
    person = person_create(actor=coordinator, data={"name": "王五", "id_number": old})
    assert len(person.id_number) == 18
    assert person.birth_date == date(1908, 5, 12)


@pytest.mark.parametrize(
    ("id_number", "words"),
    [
        (ID[:-1] + ("0" if ID[-1] != "0" else "1"), "check character"),
        ("361025" + "20140231" + "1234", "not a real date"),
        (ID[:-2], "18 characters"),
    ],
)
def test_invalid_id_number_is_refused_on_the_field(liaison_a, id_number, words) -> None:
    with pytest.raises(ValidationError) as caught:
        person_create(actor=liaison_a, data={"name": "王五", "id_number": id_number})
    messages = caught.value.message_dict["id_number"]
    assert any(words in m for m in messages), messages
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_birth_date_that_disagrees_with_the_id_number_is_an_error_on_that_field(liaison_a) -> None:
    with pytest.raises(ValidationError) as caught:
        person_create(
            actor=liaison_a,
            data={"name": "王五", "id_number": ID, "birth_date": date(2014, 7, 9), "sex": "F"},
        )
    errors = caught.value.message_dict
    assert "2014-07-08" in errors["birth_date"][0]
    assert "sex" in errors
    assert not Person.objects.exists()


def test_without_id_number_birth_date_and_sex_are_required(liaison_a) -> None:
    with pytest.raises(ValidationError) as caught:
        person_create(actor=liaison_a, data={"name": "王五"})
    assert set(caught.value.message_dict) >= {"birth_date", "sex"}
    person = person_create(actor=liaison_a, data={"name": "王五", "birth_date": BIRTH, "sex": "F"})
    assert person.id_number_hash == ""


def test_duplicate_visible_to_the_actor_points_to_the_record(liaison_a, pupil_a) -> None:
    with pytest.raises(DuplicatePerson) as caught:
        person_create(actor=liaison_a, data={"name": "张三", "id_number": pupil_a.id_number})
    assert caught.value.existing == pupil_a
    assert "id_number" in caught.value.message_dict
    assert Person.objects.count() == 1


def test_duplicate_not_visible_names_no_unit(liaison_b, pupil_a, county) -> None:
    """No oracle: the child's school is not told, only the kind of unit and whom to ask."""
    with pytest.raises(DuplicatePerson) as caught:
        person_create(actor=liaison_b, data={"name": "张三", "id_number": pupil_a.id_number})
    assert caught.value.existing is None
    message = caught.value.message_dict["id_number"][0]
    assert county.school_a.name not in message
    assert "primary school" in message and "county coordinator" in message
    assert "张" not in message  # nothing about the child
    assert Person.objects.count() == 1
    # The disclosure itself is logged.
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.detail["result"] == "duplicate_hidden"
    assert event.detail["id_number"] != pupil_a.id_number


def test_school_user_registers_minors_as_own_pupils(liaison_a, county) -> None:
    person = person_create(actor=liaison_a, data={"name": "王五", "id_number": ID})
    assert person.school == county.school_a
    adult = person_create(
        actor=liaison_a, data={"name": "王大", "birth_date": date(1980, 1, 1), "sex": "M"}
    )
    assert adult.school is None


def test_school_user_cannot_register_another_schools_pupil(liaison_a, county) -> None:
    with pytest.raises(ValidationError) as caught:
        person_create(
            actor=liaison_a, data={"name": "王五", "id_number": ID, "school": county.school_b}
        )
    assert "school" in caught.value.message_dict
    assert not Person.objects.exists()


def test_other_units_may_name_any_school(police, county) -> None:
    person = person_create(
        actor=police, data={"name": "王五", "id_number": ID, "school": county.school_b}
    )
    assert person.school == county.school_b
    assert person.registered_by == county.police_a


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+86 138-1234-5678", "13812345678"), ("０７９４-１２３４５６７", "0794-1234567")],
)
def test_phone_is_normalised(liaison_a, typed, stored) -> None:
    person = person_create(actor=liaison_a, data={"name": "王五", "id_number": ID, "phone": typed})
    assert person.phone == stored


@pytest.mark.parametrize("typed", ["12345", "1381234567", "call me"])
def test_bad_phone_is_refused_on_the_field(liaison_a, typed) -> None:
    with pytest.raises(ValidationError) as caught:
        person_create(actor=liaison_a, data={"name": "王五", "id_number": ID, "phone": typed})
    assert caught.value.message_dict["phone"]
    assert not Person.objects.exists()


def test_create_is_audited_with_masked_values(liaison_a) -> None:
    person = person_create(
        actor=liaison_a, data={"name": "王小五", "id_number": ID, "phone": "13812345678"}
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert (event.target_type, event.target_id) == ("people.person", str(person.pk))
    changes = event.detail["changes"]
    assert changes["id_number"][1] == person.masked_id_number
    assert changes["phone"][1] == "138****5678"
    assert changes["name"][1] == "王*五"
    assert ID not in str(event.detail)
    assert event.actor == liaison_a
