from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from weibao.audit.models import AuditEvent
from weibao.people.models import Person
from weibao.testing import id_for

URL = reverse("people:create")
ID = id_for(date(2014, 7, 8), 57)


def test_registers_and_redirects_to_the_page(client_for, liaison_a, county) -> None:
    response = client_for(liaison_a).post(URL, {"name": "王五", "id_number": ID, "phone": ""})
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert (person.birth_date, person.sex, person.school) == (
        date(2014, 7, 8),
        "M",
        county.school_a,
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, target_id=str(person.pk))


@pytest.mark.parametrize(
    "bad_id", [ID[:-1] + ("1" if ID[-1] != "1" else "2"), "361025201413011234", "36102520140708"]
)
def test_invalid_id_number_is_shown_on_the_field(client_for, liaison_a, bad_id) -> None:
    response = client_for(liaison_a).post(URL, {"name": "王五", "id_number": bad_id})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["id_number"]
    assert "ID number" in errors["id_number"][0] or "check character" in errors["id_number"][0]
    assert not Person.objects.exists()


def test_duplicate_visible_links_to_the_record(client_for, liaison_a, pupil_a) -> None:
    response = client_for(liaison_a).post(URL, {"name": "张三", "id_number": pupil_a.id_number})
    assert response.status_code == 400
    assert response.context["duplicate"] == pupil_a
    assert pupil_a.get_absolute_url() in response.content.decode()
    assert Person.objects.count() == 1


def test_duplicate_not_visible_names_no_unit(client_for, liaison_b, pupil_a, county) -> None:
    response = client_for(liaison_b).post(URL, {"name": "张三", "id_number": pupil_a.id_number})
    assert response.status_code == 400
    assert response.context["duplicate"] is None
    body = response.content.decode()
    assert county.school_a.name not in body
    assert "county coordinator" in response.context["form"].errors["id_number"][0]
    assert pupil_a.get_absolute_url() not in body
    assert Person.objects.count() == 1


def test_school_user_is_offered_only_their_school(client_for, liaison_a, county) -> None:
    response = client_for(liaison_a).get(URL)
    assert list(response.context["form"].fields["school"].queryset) == [county.school_a]
    response = client_for(liaison_a).post(
        URL, {"name": "王五", "id_number": ID, "school": county.school_b.pk}
    )
    assert response.status_code == 400
    assert "school" in response.context["form"].errors
    assert not Person.objects.exists()


@pytest.mark.parametrize("user", ["outsider", "sysadmin", "auditor"])
def test_readers_and_system_roles_cannot_register(request, client_for, user) -> None:
    client = client_for(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "王五", "id_number": ID}).status_code == 403
    assert not Person.objects.exists()
