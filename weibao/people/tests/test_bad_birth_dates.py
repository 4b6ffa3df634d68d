"""Birth dates in the future (or before 1900) are refused by every way in, and a bad row that is
stored anyway (an old import, a direct write) never takes down a page, a list or a search."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from weibao.lib import idnumber
from weibao.people import services
from weibao.people.models import Person
from weibao.people.tests.conftest import make_person
from weibao.testing import id_for

TODAY = date(2026, 5, 10)
FUTURE = date(2026, 5, 11)
pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(date(2026, 5, 10), tick=False):
        yield


# The rule --------------------------------------------------------------------------------


def test_check_birth_date() -> None:
    assert idnumber.check_birth_date(TODAY, today=TODAY) == TODAY
    assert idnumber.check_birth_date(date(1900, 1, 1), today=TODAY) == date(1900, 1, 1)
    with pytest.raises(ValueError, match="in the future"):
        idnumber.check_birth_date(FUTURE, today=TODAY)
    with pytest.raises(ValueError, match="before 1900"):
        idnumber.check_birth_date(date(1899, 12, 31), today=TODAY)


def test_age_or_none_never_raises() -> None:
    assert idnumber.age_or_none(FUTURE, TODAY) is None
    assert idnumber.age_or_none(None, TODAY) is None
    assert idnumber.age_or_none(date(2008, 5, 10), TODAY) == 17


def test_id_number_with_a_future_birth_date_is_invalid() -> None:
    with pytest.raises(ValueError, match="in the future"):
        idnumber.parse(idnumber.make("361025", FUTURE, 1), today=TODAY)


# Every way in refuses it -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "words"), [(FUTURE, "in the future"), (date(1899, 1, 1), "before 1900")]
)
def test_create_form_refuses_the_birth_date(client_for, liaison_a, birth, words) -> None:
    response = client_for(liaison_a).post(
        reverse("people:create"), {"name": "王五", "sex": "M", "birth_date": birth.isoformat()}
    )
    assert response.status_code == 400
    assert words in response.context["form"].errors["birth_date"][0]
    assert not Person.objects.exists()


def test_create_form_refuses_an_id_number_born_tomorrow(client_for, liaison_a) -> None:
    number = idnumber.make("361025", FUTURE, 12)
    response = client_for(liaison_a).post(
        reverse("people:create"), {"name": "王五", "id_number": number}
    )
    assert response.status_code == 400
    assert "in the future" in response.context["form"].errors["id_number"][0]
    assert not Person.objects.exists()


def test_edit_form_refuses_the_birth_date(client_for, liaison_a, county) -> None:
    person = make_person("王五", county.school_a, school=county.school_a)
    response = client_for(liaison_a).post(
        reverse("people:edit", args=[person.pk]),
        {
            "name": "王五",
            "sex": "M",
            "birth_date": FUTURE.isoformat(),
            "school": county.school_a.pk,
        },
    )
    assert response.status_code == 400
    assert "in the future" in response.context["form"].errors["birth_date"][0]
    person.refresh_from_db()
    assert person.birth_date != FUTURE


def test_service_refuses_it_whoever_calls(liaison_a) -> None:
    data = {"name": "王五", "sex": "M", "birth_date": FUTURE}
    with pytest.raises(ValidationError) as info:
        services.person_create(actor=liaison_a, data=data)
    assert "in the future" in info.value.message_dict["birth_date"][0]
    assert not Person.objects.exists()


def test_api_refuses_it(client_for, liaison_a) -> None:
    response = client_for(liaison_a).post(
        "/api/v1/people/",
        {"name": "王五", "sex": "M", "birth_date": FUTURE.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "in the future" in str(response.json()["birth_date"])
    assert not Person.objects.exists()


def test_api_refuses_it_on_update(client_for, liaison_a, pupil_a) -> None:
    response = client_for(liaison_a).patch(
        f"/api/v1/people/{pupil_a.pk}/",
        {"name": pupil_a.name, "birth_date": "1899-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "before 1900" in str(response.json()["birth_date"])


# A bad stored row is read without failing ------------------------------------------------


@pytest.fixture
def bad_row(county, pupil_a) -> Person:
    """Pupil A with a birth date after today, written past every check."""
    Person.objects.filter(pk=pupil_a.pk).update(birth_date=FUTURE)
    pupil_a.refresh_from_db()
    return pupil_a


def test_age_of_a_bad_row_is_none(bad_row) -> None:
    assert bad_row.age is None
    assert not bad_row.is_minor
    assert not bad_row.is_adult


def test_person_page_shows_the_bad_row(client_for, liaison_a, bad_row) -> None:
    response = client_for(liaison_a).get(bad_row.get_absolute_url())
    assert response.status_code == 200
    assert "the birth date is in the future" in response.content.decode()


def test_school_minors_list_and_search_survive_a_bad_row(
    client_for, liaison_a, bad_row, pupil_a, county
) -> None:
    make_person("张小明", county.school_a, school=county.school_a)
    client = client_for(liaison_a)
    url = reverse("people:list")
    for params in ({"school": county.school_a.pk, "minors": "on"}, {"q": "张"}, {"q": "zs"}, {}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        listed = {p.pk for p in response.context["page"]}
        assert bad_row.pk in listed, params
    body = client.get(url, {"school": county.school_a.pk, "minors": "on"}).content.decode()
    assert "<td>—</td>" in body


def test_api_list_and_detail_survive_a_bad_row(client_for, liaison_a, bad_row) -> None:
    client = client_for(liaison_a)
    listed = client.get("/api/v1/people/", {"minors": "1"})
    assert listed.status_code == 200
    assert {row["id"]: row["age"] for row in listed.json()["results"]}[bad_row.pk] is None
    assert client.get(f"/api/v1/people/{bad_row.pk}/").json()["age"] is None


def test_export_survives_a_bad_row(liaison_a, bad_row) -> None:
    content, rows = services.person_export(actor=liaison_a, filters={}, purpose="年度核查名单")
    assert rows == 1 and content


def test_a_bad_row_is_fixed_through_the_edit_form(client_for, liaison_a, county) -> None:
    person = make_person("王五", county.school_a, school=county.school_a)
    Person.objects.filter(pk=person.pk).update(birth_date=FUTURE)
    client = client_for(liaison_a)
    url = reverse("people:edit", args=[person.pk])
    assert client.get(url).status_code == 200
    refused = client.post(
        url,
        {
            "name": "王五",
            "phone": "13812345678",
            "sex": "M",
            "birth_date": FUTURE.isoformat(),
            "school": county.school_a.pk,
        },
    )
    assert refused.status_code == 400
    fixed = client.post(
        url, {"name": "王五", "sex": "M", "birth_date": "2015-03-01", "school": county.school_a.pk}
    )
    assert fixed.status_code == 302
    person.refresh_from_db()
    assert person.birth_date == date(2015, 3, 1)


def test_a_stored_id_number_born_in_the_future_asks_for_the_right_one(liaison_a, county) -> None:
    person = make_person(
        "王五", county.school_a, id_number=id_for(date(2015, 3, 1), 5), school=county.school_a
    )
    person.set_id_number(idnumber.make("361025", FUTURE, 5))
    Person.objects.filter(pk=person.pk).update(
        id_number_encrypted=person.id_number_encrypted, id_number_hash=person.id_number_hash
    )
    person.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.person_update(actor=liaison_a, person=person, data={"phone": "13812345678"})
    assert "stored ID number is not valid" in info.value.message_dict["id_number"][0]


def test_guardian_with_a_bad_birth_date_is_refused_not_a_crash(
    client_for, liaison_a, pupil_a, county
) -> None:
    guardian = make_person("张大山", county.school_a, birth_date=date(1985, 6, 15))
    Person.objects.filter(pk=guardian.pk).update(birth_date=FUTURE)
    response = client_for(liaison_a).post(
        reverse("people:guardian_add", args=[pupil_a.pk]),
        {"guardian": str(guardian.pk), "relationship": "father"},
    )
    assert response.status_code == 400
    assert "must be an adult" in response.content.decode()
