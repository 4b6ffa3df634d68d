from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token

from weibao.accounts.models import Role, User
from weibao.accounts.services import user_update
from weibao.audit.models import AuditEvent
from weibao.testing import County, logged_in


def test_role_change_is_audited_with_old_and_new(sysadmin: User, liaison_a: User) -> None:
    user_update(actor=sysadmin, user=liaison_a, data={"role": Role.READ_ONLY})
    liaison_a.refresh_from_db()
    assert liaison_a.role == Role.READ_ONLY
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, target_id=str(liaison_a.pk))
    assert event.detail["changes"] == {"role": ["campus_liaison", "read_only"]}
    assert event.actor == sysadmin


def test_name_change_is_masked_in_the_log(admin_a: User, liaison_a: User) -> None:
    user_update(actor=admin_a, user=liaison_a, data={"full_name": "李晓明"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["changes"]["full_name"] == ["l********", "李*明"]


def test_unit_admin_cannot_give_county_role(admin_a: User, liaison_a: User) -> None:
    with pytest.raises(ValidationError) as caught:
        user_update(actor=admin_a, user=liaison_a, data={"role": Role.COUNTY_COORDINATOR})
    assert "role" in caught.value.message_dict
    liaison_a.refresh_from_db()
    assert liaison_a.role == Role.CAMPUS_LIAISON


def test_unit_admin_cannot_move_user_away(county: County, admin_a: User, liaison_a: User) -> None:
    with pytest.raises(ValidationError) as caught:
        user_update(actor=admin_a, user=liaison_a, data={"organisation": county.school_b})
    assert "organisation" in caught.value.message_dict
    liaison_a.refresh_from_db()
    assert liaison_a.organisation == county.school_a


def test_unit_admin_cannot_touch_other_units_users(admin_a: User, liaison_b: User) -> None:
    with pytest.raises(PermissionDenied):
        user_update(actor=admin_a, user=liaison_b, data={"full_name": "x"})


def test_unit_admin_cannot_touch_county_roles_in_own_unit(county: County, admin_a: User) -> None:
    from weibao.testing import make_user

    coordinator_here = make_user("coord_here", county.school_a, Role.COUNTY_COORDINATOR)
    with pytest.raises(PermissionDenied):
        user_update(actor=admin_a, user=coordinator_here, data={"role": Role.READ_ONLY})


@pytest.mark.parametrize(("field", "value"), [("role", Role.READ_ONLY), ("is_active", False)])
def test_cannot_change_own_role_or_switch_self_off(
    sysadmin: User, field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        user_update(actor=sysadmin, user=sysadmin, data={field: value})
    assert field in caught.value.message_dict
    sysadmin.refresh_from_db()
    assert sysadmin.role == Role.SYSADMIN and sysadmin.is_active


def test_switching_off_ends_sessions_and_tokens(sysadmin: User, liaison_a: User) -> None:
    client = logged_in(liaison_a)
    Token.objects.create(user=liaison_a)
    user_update(actor=sysadmin, user=liaison_a, data={"is_active": False})
    assert not Token.objects.filter(user=liaison_a).exists()
    assert client.get("/").status_code == 302
