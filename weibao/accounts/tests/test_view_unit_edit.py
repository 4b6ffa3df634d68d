from __future__ import annotations

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.testing import County


def _form(county: County, **extra: object) -> dict:
    unit = county.school_a
    return {
        "name": unit.name,
        "kind": unit.kind,
        "division": unit.division_id,
        "parent": unit.parent_id,
        "credit_code": "",
        "webhook_url": "",
        "is_active": "on",
    } | extra


def test_edit_form_is_filled_in(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).get(f"/accounts/units/{county.school_a.pk}/edit/")
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "鳌溪镇中心小学"
    # A unit cannot be offered as its own parent.
    assert county.school_a not in response.context["form"].fields["parent"].queryset


def test_saves_and_audits(county: County, sysadmin: User, client_for) -> None:
    url = f"/accounts/units/{county.school_a.pk}/edit/"
    response = client_for(sysadmin).post(url, _form(county, is_active=""))
    assert response.status_code == 302
    county.school_a.refresh_from_db()
    assert not county.school_a.is_active
    event = AuditEvent.objects.get(action="update", target_id=str(county.school_a.pk))
    assert event.detail["changes"] == {"is_active": ["True", "False"]}


def test_cycle_is_shown_on_the_parent_field(county: County, sysadmin: User, client_for) -> None:
    url = f"/accounts/units/{county.education.pk}/edit/"
    data = {
        "name": county.education.name,
        "kind": county.education.kind,
        "division": county.education.division_id,
        "parent": county.school_a.pk,
        "is_active": "on",
    }
    response = client_for(sysadmin).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    county.education.refresh_from_db()
    assert county.education.parent is None


def test_unit_admin_cannot_edit_own_unit(county: County, admin_a: User, client_for) -> None:
    url = f"/accounts/units/{county.school_a.pk}/edit/"
    response = client_for(admin_a).post(url, _form(county, name="改名"))
    assert response.status_code == 403
    county.school_a.refresh_from_db()
    assert county.school_a.name == "鳌溪镇中心小学"
