from __future__ import annotations

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.lib import creditcode
from weibao.testing import County

URL = "/accounts/units/new/"


def _form(county: County, **extra: object) -> dict:
    return {
        "name": "鳌溪镇第二小学",
        "kind": "school_primary",
        "division": county.village_a.pk,
        "parent": county.education.pk,
        "credit_code": "",
        "webhook_url": "",
        "is_active": "on",
    } | extra


def test_creates_and_redirects(county: County, sysadmin: User, client_for) -> None:
    client = client_for(sysadmin)
    assert client.get(URL).status_code == 200
    code = creditcode.make("12", "361025", "MB1234567")
    response = client.post(URL, _form(county, credit_code=code))
    unit = Organisation.objects.get(name="鳌溪镇第二小学")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    assert unit.parent == county.education and unit.credit_code == code
    assert AuditEvent.objects.filter(action="create", target_id=str(unit.pk)).exists()


def test_bad_credit_code_is_shown_on_the_field(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).post(URL, _form(county, credit_code="91360000ABC"))
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"]
    assert not Organisation.objects.filter(name="鳌溪镇第二小学").exists()


def test_duplicate_name_is_shown_on_the_field(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).post(URL, _form(county, name="鳌溪宾馆"))
    assert response.context["form"].errors["name"]
    assert Organisation.objects.filter(name="鳌溪宾馆").count() == 1


def test_unit_admin_is_refused(county: County, admin_a: User, client_for) -> None:
    client = client_for(admin_a)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(county)).status_code == 403
    assert not Organisation.objects.filter(name="鳌溪镇第二小学").exists()
