from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from weibao.accounts.models import Role
from weibao.audit.models import AuditEvent
from weibao.people.models import Person
from weibao.testing import id_for, make_user


def _url(person) -> str:
    return reverse("people:edit", args=[person.pk])


def _form_data(person, **changes):
    data = {
        "name": person.name,
        "id_number": "",
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "phone": "",
        "address": person.address,
        "division": person.division_id or "",
        "hukou_division": person.hukou_division_id or "",
        "school": person.school_id or "",
        "grade": person.grade,
        "class_name": person.class_name,
    }
    return data | changes


def test_edit_saves_changes_and_keeps_blank_id_and_phone(client_for, liaison_a, pupil_a):
    client = client_for(liaison_a)
    response = client.post(_url(pupil_a), _form_data(pupil_a, grade="四年级"))
    assert response.status_code == 302
    pupil_a.refresh_from_db()
    assert pupil_a.grade == "四年级"
    assert pupil_a.phone == "13812345678"
    assert pupil_a.id_number
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["changes"] == {"grade": ["三年级", "四年级"]}


def test_form_shows_masked_id_and_phone_only(client_for, liaison_a, pupil_a) -> None:
    response = client_for(liaison_a).get(_url(pupil_a))
    body = response.content.decode()
    assert pupil_a.masked_id_number in body
    assert pupil_a.id_number not in body and pupil_a.phone not in body
    # The form shows the name in full, so opening it is a view of the record.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, target_id=str(pupil_a.pk))


def test_new_id_number_resets_birth_date_even_with_the_old_one_in_the_form(
    client_for, liaison_a, pupil_a
) -> None:
    new_id = id_for(date(2016, 1, 2), 41)
    response = client_for(liaison_a).post(_url(pupil_a), _form_data(pupil_a, id_number=new_id))
    assert response.status_code == 302
    pupil_a.refresh_from_db()
    assert pupil_a.birth_date == date(2016, 1, 2)


def test_invalid_id_number_is_shown_and_nothing_changes(client_for, liaison_a, pupil_a):
    response = client_for(liaison_a).post(
        _url(pupil_a), _form_data(pupil_a, id_number="36102520150301001X", grade="五年级")
    )
    assert response.status_code == 400
    assert "id_number" in response.context["form"].errors
    pupil_a.refresh_from_db()
    assert pupil_a.grade == "三年级"


@pytest.mark.parametrize("user", ["liaison_b", "outsider"])
def test_other_units_get_404(request, client_for, pupil_a, user) -> None:
    client = client_for(request.getfixturevalue(user))
    assert client.get(_url(pupil_a)).status_code == 404
    assert client.post(_url(pupil_a), _form_data(pupil_a, name="改名")).status_code == 404
    assert Person.objects.get().name == "张三"


@pytest.mark.parametrize("user", ["sysadmin", "auditor"])
def test_system_roles_get_403(request, client_for, pupil_a, user) -> None:
    client = client_for(request.getfixturevalue(user))
    assert client.post(_url(pupil_a), _form_data(pupil_a, name="改名")).status_code == 403


def test_read_only_user_in_scope_cannot_edit(client_for, county, pupil_a) -> None:
    reader = make_user("reader_a", county.school_a, Role.READ_ONLY)
    client = client_for(reader)
    assert client.get(_url(pupil_a)).status_code == 403
    assert client.post(_url(pupil_a), _form_data(pupil_a, name="改名")).status_code == 403
    assert Person.objects.get().name == "张三"
