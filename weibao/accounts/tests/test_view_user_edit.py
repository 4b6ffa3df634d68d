from __future__ import annotations

from weibao.accounts.models import Role, User
from weibao.audit.models import AuditEvent


def _form(user: User, **extra: object) -> dict:
    return {
        "full_name": user.full_name,
        "organisation": user.organisation_id,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "phone": user.phone,
        "email": user.email,
        "language": user.language,
    } | extra


def test_role_change_is_saved_and_audited(sysadmin: User, liaison_a: User, client_for) -> None:
    client = client_for(sysadmin)
    url = f"/accounts/users/{liaison_a.pk}/edit/"
    assert client.get(url).context["form"].initial["role"] == Role.CAMPUS_LIAISON
    response = client.post(url, _form(liaison_a, role=Role.READ_ONLY))
    assert response.status_code == 302
    liaison_a.refresh_from_db()
    assert liaison_a.role == Role.READ_ONLY
    event = AuditEvent.objects.get(action="update", target_id=str(liaison_a.pk))
    assert event.detail["changes"]["role"] == ["campus_liaison", "read_only"]


def test_own_role_cannot_be_changed(admin_a: User, client_for) -> None:
    url = f"/accounts/users/{admin_a.pk}/edit/"
    response = client_for(admin_a).post(url, _form(admin_a, role=Role.CAMPUS_LIAISON))
    assert response.status_code == 200 and response.context["form"].errors["role"]
    admin_a.refresh_from_db()
    assert admin_a.role == Role.UNIT_ADMIN


def test_unit_admin_gets_404_for_other_units_user(
    admin_a: User,
    liaison_b: User,
    client_for,
) -> None:
    url = f"/accounts/users/{liaison_b.pk}/edit/"
    assert client_for(admin_a).post(url, _form(liaison_b, role="read_only")).status_code == 404
    liaison_b.refresh_from_db()
    assert liaison_b.role == Role.CAMPUS_LIAISON


def test_liaison_is_refused(liaison_a: User, client_for) -> None:
    url = f"/accounts/users/{liaison_a.pk}/edit/"
    assert client_for(liaison_a).post(url, _form(liaison_a, role="unit_admin")).status_code == 403
    liaison_a.refresh_from_db()
    assert liaison_a.role == Role.CAMPUS_LIAISON
