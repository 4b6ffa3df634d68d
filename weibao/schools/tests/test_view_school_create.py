from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.schools.models import School

URL = reverse("schools:create")


def _post(county, **extra):
    data = {
        "name": "鳌溪村小学",
        "kind": "primary",
        "ownership": "public",
        "division": county.village_a.pk,
        "pupil_count": "100",
        "principal_phone": "",
    }
    data.update(extra)
    return data


def test_bureau_creates(client_for, education, county) -> None:
    response = client_for(education).post(URL, _post(county))
    school = School.objects.get()
    assert response.status_code == 302
    assert response["Location"] == school.get_absolute_url()


def test_bad_phone_shows_on_the_field(client_for, education, county) -> None:
    response = client_for(education).post(URL, _post(county, principal_phone="123"))
    assert response.status_code == 400
    assert response.context["form"].errors["principal_phone"]
    assert not School.objects.exists()


def test_requires_login(client, county) -> None:
    assert client.post(URL, _post(county)).status_code == 302
    assert not School.objects.exists()


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider", "police", "sysadmin"])
def test_not_allowed(request, client_for, county, name) -> None:
    response = client_for(request.getfixturevalue(name)).post(URL, _post(county))
    assert response.status_code == 403
    assert not School.objects.exists()
