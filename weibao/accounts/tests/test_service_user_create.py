from __future__ import annotations

import json

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Role, User
from weibao.accounts.services import user_create
from weibao.audit.models import AuditEvent
from weibao.testing import County

GOOD_PASSWORD = "Gx7#kLm2pq"


def _data(county: County, **extra: object) -> dict:
    return {
        "username": "wang_teacher",
        "full_name": "王老师",
        "phone": "13800138000",
        "email": "",
        "organisation": county.school_a,
        "role": Role.CAMPUS_LIAISON,
        "language": "zh-hans",
    } | extra


def test_sysadmin_creates_user_with_given_password(county: County, sysadmin: User) -> None:
    user, generated = user_create(actor=sysadmin, data=_data(county, password=GOOD_PASSWORD))
    assert generated is None
    assert user.check_password(GOOD_PASSWORD)
    # The administrator knows the password, so the user must change it at first login.
    assert user.password_expired
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_id=str(user.pk))
    assert event.detail["changes"]["role"] == [None, "campus_liaison"]
    assert event.detail["changes"]["full_name"] == [None, "王*师"]
    assert event.detail["changes"]["phone"] == [None, "138****8000"]
    assert GOOD_PASSWORD not in json.dumps(event.detail)


def test_generated_password_passes_the_validators(county: County, sysadmin: User) -> None:
    user, generated = user_create(actor=sysadmin, data=_data(county))
    assert generated and user.check_password(generated)
    validate_password(generated, user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_id=str(user.pk))
    assert event.detail["password_generated"] is True
    assert generated not in json.dumps(event.detail)


def test_unit_admin_creates_in_own_unit(county: County, admin_a: User) -> None:
    user, _ = user_create(actor=admin_a, data=_data(county))
    assert user.organisation == county.school_a


def test_unit_admin_cannot_create_in_another_unit(county: County, admin_a: User) -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(actor=admin_a, data=_data(county, organisation=county.school_b))
    assert "organisation" in caught.value.message_dict
    assert not User.objects.filter(username="wang_teacher").exists()


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.AUDITOR, Role.COUNTY_COORDINATOR])
def test_unit_admin_cannot_give_county_roles(county: County, admin_a: User, role: str) -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(actor=admin_a, data=_data(county, role=role))
    assert "role" in caught.value.message_dict
    assert not User.objects.filter(username="wang_teacher").exists()


def test_duplicate_username_names_the_field(
    county: County, sysadmin: User, liaison_a: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(actor=sysadmin, data=_data(county, username="liaison_a"))
    assert "username" in caught.value.message_dict


@pytest.mark.parametrize("who", ["liaison_a", "coordinator", "auditor", "outsider"])
def test_others_cannot_create_users(
    county: County, who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        user_create(actor=request.getfixturevalue(who), data=_data(county))
    assert not User.objects.filter(username="wang_teacher").exists()
