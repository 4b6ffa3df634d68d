from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from weibao.people.models import Guardianship
from weibao.people.tests.conftest import make_person
from weibao.testing import id_for

MOTHER_ID = id_for(date(1988, 2, 3), 62)


@pytest.fixture
def mother(county):
    return make_person(
        "王芳", county.school_a, id_number=MOTHER_ID, birth_date=date(1988, 2, 3), sex="F"
    )


def _url(person) -> str:
    return reverse("people:guardian_add", args=[person.pk])


def test_adds_a_guardian_by_id_number(client_for, liaison_a, pupil_a, mother) -> None:
    response = client_for(liaison_a).post(
        _url(pupil_a), {"guardian": MOTHER_ID, "relationship": "mother", "is_primary": "on"}
    )
    assert response.status_code == 302
    guardianship = Guardianship.objects.get()
    assert (guardianship.guardian, guardianship.is_primary) == (mother, True)


def test_adds_a_guardian_by_record_number(client_for, liaison_a, pupil_a, mother) -> None:
    response = client_for(liaison_a).post(
        _url(pupil_a), {"guardian": f"#{mother.pk}", "relationship": "mother"}
    )
    assert response.status_code == 302
    assert Guardianship.objects.get().guardian == mother


def test_guardian_must_be_visible_to_the_user(client_for, liaison_a, pupil_a, pupil_b) -> None:
    adult_b = make_person(
        "赵六",
        pupil_b.registered_by,
        id_number=id_for(date(1980, 1, 1), 71),
        birth_date=date(1980, 1, 1),
    )
    response = client_for(liaison_a).post(
        _url(pupil_a), {"guardian": adult_b.id_number, "relationship": "father"}
    )
    assert response.status_code == 400
    assert "guardian" in response.context["guardian_form"].errors
    assert not Guardianship.objects.exists()


def test_a_minor_is_refused_as_guardian(client_for, coordinator, pupil_a, pupil_b) -> None:
    response = client_for(coordinator).post(
        _url(pupil_a), {"guardian": pupil_b.id_number, "relationship": "sibling"}
    )
    assert response.status_code == 400
    assert "adult" in response.context["guardian_form"].errors["guardian"][0]
    assert not Guardianship.objects.exists()


@pytest.mark.parametrize(
    ("user", "status"), [("liaison_b", 404), ("outsider", 404), ("sysadmin", 403)]
)
def test_not_allowed(request, client_for, pupil_a, mother, user, status) -> None:
    response = client_for(request.getfixturevalue(user)).post(
        _url(pupil_a), {"guardian": MOTHER_ID, "relationship": "mother"}
    )
    assert response.status_code == status
    assert not Guardianship.objects.exists()
