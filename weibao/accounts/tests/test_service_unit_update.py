from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import User
from weibao.accounts.services import unit_update
from weibao.audit.models import AuditEvent
from weibao.testing import County


def test_rename_is_audited_with_old_and_new(county: County, sysadmin: User) -> None:
    unit_update(actor=sysadmin, unit=county.school_a, data={"name": "鳌溪镇实验小学"})
    county.school_a.refresh_from_db()
    assert county.school_a.name == "鳌溪镇实验小学"
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["changes"] == {"unit_name": ["鳌溪镇中心小学", "鳌溪镇实验小学"]}


def test_no_change_writes_no_event(county: County, sysadmin: User) -> None:
    unit_update(actor=sysadmin, unit=county.school_a, data={"name": county.school_a.name})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_parent_below_itself_is_refused(county: County, sysadmin: User) -> None:
    # school A sits under the education bureau: the bureau cannot go under school A.
    with pytest.raises(ValidationError) as caught:
        unit_update(actor=sysadmin, unit=county.education, data={"parent": county.school_a})
    assert "parent" in caught.value.message_dict
    county.education.refresh_from_db()
    assert county.education.parent is None


def test_parent_itself_is_refused(county: County, sysadmin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        unit_update(actor=sysadmin, unit=county.school_a, data={"parent": county.school_a})
    assert "parent" in caught.value.message_dict


def test_bad_credit_code_leaves_unit_unchanged(county: County, sysadmin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        unit_update(actor=sysadmin, unit=county.school_a, data={"credit_code": "12345"})
    assert "credit_code" in caught.value.message_dict
    county.school_a.refresh_from_db()
    assert county.school_a.credit_code == ""


def test_unit_admin_cannot_edit_own_unit(county: County, admin_a: User) -> None:
    with pytest.raises(PermissionDenied):
        unit_update(actor=admin_a, unit=county.school_a, data={"name": "x"})
    county.school_a.refresh_from_db()
    assert county.school_a.name == "鳌溪镇中心小学"
