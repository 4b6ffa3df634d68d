"""The Django admin has no login form of its own: a signed-in system administrator with a
verified one-time code only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client

from weibao.accounts.admin import PlatformAdminSite
from weibao.accounts.models import User

pytestmark = pytest.mark.usefixtures("english")


def test_the_site_is_the_platforms() -> None:
    assert isinstance(admin.site, PlatformAdminSite)


@pytest.mark.parametrize("path", ["/django-admin/", "/django-admin/accounts/division/"])
def test_anonymous_is_sent_to_the_platform_login(db: None, path: str) -> None:
    response = Client().get(path, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=/django-admin/")
    assert response.templates[0].name == "accounts/login.html"
    assert "/django-admin/login/" not in response.content.decode()


def test_the_admin_login_page_shows_no_form(db: None) -> None:
    response = Client().get("/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert b"<form" not in response.content


def test_a_post_to_the_admin_login_signs_no_one_in(sysadmin: User) -> None:
    client = Client()
    response = client.post(
        "/django-admin/login/", {"username": "sysadmin", "password": "Weibao-test-2026"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_other_users_get_a_404(liaison_a: User, client_for) -> None:
    response = client_for(liaison_a).get("/django-admin/", follow=True)
    assert response.status_code == 404


def test_a_sysadmin_without_a_verified_code_is_sent_to_verify(sysadmin: User) -> None:
    client = Client()
    client.force_login(sysadmin)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/")


def test_a_verified_sysadmin_gets_in(sysadmin: User, client_for) -> None:
    sysadmin.user_permissions.add(Permission.objects.get(codename="view_division"))
    response = client_for(sysadmin).get("/django-admin/")
    assert response.status_code == 200
    assert b"/django-admin/accounts/division/" in response.content
