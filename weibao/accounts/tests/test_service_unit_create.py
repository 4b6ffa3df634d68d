from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Organisation, User
from weibao.accounts.services import unit_create
from weibao.audit.models import AuditEvent
from weibao.lib import creditcode
from weibao.testing import County

CODE = creditcode.make("12", "361025", "MB1234567")


def _data(county: County, **extra: object) -> dict:
    return {
        "name": "鳌溪镇第二小学",
        "kind": Organisation.Kind.SCHOOL_PRIMARY,
        "division": county.village_a,
        "parent": county.education,
        "credit_code": "",
        "webhook_url": "",
        "is_active": True,
    } | extra


def test_creates_unit_and_audits(county: County, sysadmin: User) -> None:
    unit = unit_create(actor=sysadmin, data=_data(county, credit_code=f" {CODE.lower()} "))
    assert unit.pk and unit.credit_code == CODE
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_id=str(unit.pk))
    assert event.target_type == "accounts.organisation"
    assert event.actor == sysadmin
    assert event.detail["changes"]["unit_name"] == [None, "鳌溪镇第二小学"]


def test_bad_credit_code_names_the_field(county: County, sysadmin: User) -> None:
    bad = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        unit_create(actor=sysadmin, data=_data(county, credit_code=bad))
    assert [e.code for e in caught.value.error_dict["credit_code"]] == ["invalid_credit_code"]
    assert not Organisation.objects.filter(name="鳌溪镇第二小学").exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_duplicate_credit_code_and_name(county: County, sysadmin: User) -> None:
    unit_create(actor=sysadmin, data=_data(county, credit_code=CODE))
    with pytest.raises(ValidationError) as caught:
        unit_create(actor=sysadmin, data=_data(county, credit_code=CODE))
    assert set(caught.value.message_dict) == {"name", "credit_code"}


def test_missing_division_is_refused(county: County, sysadmin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        unit_create(actor=sysadmin, data=_data(county, division=None))
    assert "division" in caught.value.message_dict


@pytest.mark.parametrize("who", ["admin_a", "coordinator", "liaison_a", "auditor"])
def test_only_sysadmin_creates_units(
    county: County, who: str, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        unit_create(actor=actor, data=_data(county))
    assert not Organisation.objects.filter(name="鳌溪镇第二小学").exists()
