from __future__ import annotations

from weibao.accounts.models import User


def test_deactivates(admin_a: User, liaison_a: User, client_for) -> None:
    response = client_for(admin_a).post(f"/accounts/users/{liaison_a.pk}/deactivate/")
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert not liaison_a.is_active


def test_cannot_deactivate_yourself(sysadmin: User, client_for) -> None:
    client = client_for(sysadmin)
    response = client.post(f"/accounts/users/{sysadmin.pk}/deactivate/", follow=True)
    assert "error" in [m.tags for m in response.context["messages"]]
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_get_is_not_allowed(admin_a: User, liaison_a: User, client_for) -> None:
    assert client_for(admin_a).get(f"/accounts/users/{liaison_a.pk}/deactivate/").status_code == 405


def test_other_units_user_is_404(admin_a: User, liaison_b: User, client_for) -> None:
    assert (
        client_for(admin_a).post(f"/accounts/users/{liaison_b.pk}/deactivate/").status_code == 404
    )
    liaison_b.refresh_from_db()
    assert liaison_b.is_active


def test_liaison_is_refused(liaison_a: User, admin_a: User, client_for) -> None:
    assert (
        client_for(liaison_a).post(f"/accounts/users/{admin_a.pk}/deactivate/").status_code == 403
    )
    admin_a.refresh_from_db()
    assert admin_a.is_active
