from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.accounts.services import user_deactivate
from weibao.audit.models import AuditEvent
from weibao.testing import logged_in


def test_deactivates_and_signs_out_everywhere(admin_a: User, liaison_a: User) -> None:
    browser = logged_in(liaison_a)
    assert browser.get("/").status_code == 200
    token = Token.objects.create(user=liaison_a)
    user_deactivate(actor=admin_a, user=liaison_a)
    liaison_a.refresh_from_db()
    assert not liaison_a.is_active
    assert not Token.objects.filter(pk=token.pk).exists()
    response = browser.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, target_id=str(liaison_a.pk))
    assert event.detail["operation"] == "deactivate"
    assert event.detail["changes"] == {"is_active": ["True", "False"]}
    assert event.detail["sessions_ended"] == 1 and event.detail["tokens_deleted"] == 1


def test_cannot_deactivate_yourself(sysadmin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        user_deactivate(actor=sysadmin, user=sysadmin)
    assert "is_active" in caught.value.message_dict
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_unit_admin_cannot_deactivate_other_units_users(admin_a: User, liaison_b: User) -> None:
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=admin_a, user=liaison_b)
    liaison_b.refresh_from_db()
    assert liaison_b.is_active


def test_liaison_cannot_deactivate_anyone(liaison_a: User, admin_a: User) -> None:
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=liaison_a, user=admin_a)
