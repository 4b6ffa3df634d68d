from __future__ import annotations

from weibao.accounts.models import User
from weibao.testing import PASSWORD


def test_shows_the_temporary_password_once(admin_a: User, liaison_a: User, client_for) -> None:
    url = f"/accounts/users/{liaison_a.pk}/reset-password/"
    response = client_for(admin_a).post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(password) and liaison_a.password_expired


def test_get_is_not_allowed(admin_a: User, liaison_a: User, client_for) -> None:
    url = f"/accounts/users/{liaison_a.pk}/reset-password/"
    assert client_for(admin_a).get(url).status_code == 405


def test_other_units_user_is_404(admin_a: User, liaison_b: User, client_for) -> None:
    url = f"/accounts/users/{liaison_b.pk}/reset-password/"
    assert client_for(admin_a).post(url).status_code == 404
    liaison_b.refresh_from_db()
    assert liaison_b.check_password(PASSWORD)


def test_liaison_is_refused(liaison_a: User, admin_a: User, client_for) -> None:
    url = f"/accounts/users/{admin_a.pk}/reset-password/"
    assert client_for(liaison_a).post(url).status_code == 403
    admin_a.refresh_from_db()
    assert admin_a.check_password(PASSWORD)
