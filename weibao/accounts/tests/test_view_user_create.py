from __future__ import annotations

from weibao.accounts.models import Role, User
from weibao.testing import County

URL = "/accounts/users/new/"


def _form(county: County, **extra: object) -> dict:
    return {
        "username": "wang_teacher",
        "full_name": "王老师",
        "organisation": county.school_a.pk,
        "role": Role.CAMPUS_LIAISON,
        "phone": "",
        "email": "",
        "language": "zh-hans",
        "password": "",
    } | extra


def test_generated_password_is_shown_once(county: County, admin_a: User, client_for) -> None:
    client = client_for(admin_a)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _form(county))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="wang_teacher")
    assert user.check_password(password) and user.password_expired
    assert user.organisation == county.school_a


def test_given_password_redirects(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).post(URL, _form(county, password="Gx7#kLm2pq"))
    user = User.objects.get(username="wang_teacher")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{user.pk}/"


def test_unit_admin_offered_own_unit_and_unit_roles_only(
    county: County,
    admin_a: User,
    client_for,
) -> None:
    form = client_for(admin_a).get(URL).context["form"]
    assert list(form.fields["organisation"].queryset) == [county.school_a]
    roles = {value for value, _ in form.fields["role"].choices}
    assert not roles & {"sysadmin", "auditor", "county_coordinator"}


def test_unit_admin_cannot_post_another_unit_or_county_role(
    county: County,
    admin_a: User,
    client_for,
) -> None:
    client = client_for(admin_a)
    response = client.post(URL, _form(county, organisation=county.school_b.pk))
    assert response.context["form"].errors["organisation"]
    response = client.post(URL, _form(county, role=Role.SYSADMIN))
    assert response.context["form"].errors["role"]
    assert not User.objects.filter(username="wang_teacher").exists()


def test_missing_name_is_named(county: County, sysadmin: User, client_for) -> None:
    response = client_for(sysadmin).post(URL, _form(county, full_name=""))
    assert response.context["form"].errors["full_name"]
    assert not User.objects.filter(username="wang_teacher").exists()


def test_others_are_refused(county: County, liaison_a: User, client_for) -> None:
    client = client_for(liaison_a)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form(county)).status_code == 403
    assert not User.objects.filter(username="wang_teacher").exists()
