"""Pages and API answers with children's data are never kept by a browser or proxy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.people.tests.conftest import make_person
from weibao.testing import County

pytestmark = pytest.mark.usefixtures("english")


def test_a_person_page_is_no_store(county: County, liaison_a: User, client_for) -> None:
    person = make_person("张三", county.school_a, school=county.school_a)
    response = client_for(liaison_a).get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_another_schools_pupil_is_not_shown(county: County, liaison_b: User, client_for) -> None:
    person = make_person("张三", county.school_a, school=county.school_a)
    response = client_for(liaison_b).get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 404
    assert "张三" not in response.content.decode()


def test_an_api_answer_is_no_store(liaison_a: User) -> None:
    token = Token.objects.create(user=liaison_a)
    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/people/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_an_api_refusal_is_no_store(db: None) -> None:
    response = Client().get("/api/v1/people/")
    assert response.status_code == 403
    assert response["Cache-Control"] == "no-store, private"


def test_a_views_own_cache_control_is_kept(liaison_a: User, admin_a: User, client_for) -> None:
    # The temporary-password page sets its own (stricter) header.
    response = client_for(admin_a).post(
        reverse("accounts:user_reset_password", args=[liaison_a.pk])
    )
    assert response["Cache-Control"] == "no-store"


def test_static_files_are_left_alone(liaison_a: User, client_for) -> None:
    response = client_for(liaison_a).get("/static/weibao/weibao.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
