"""An auditor reads the audit log and nothing else: no children's records."""

from __future__ import annotations

from weibao.accounts.models import User
from weibao.people.models import Person


def test_auditor_has_no_people_permissions(auditor: User, pupil: Person) -> None:
    for perm in ("people.list_people", "people.view_person", "people.change_person"):
        assert not auditor.has_perm(perm, pupil if perm != "people.list_people" else None)
    assert not Person.objects.for_user(auditor).exists()


def test_auditor_cannot_open_people_pages(auditor: User, pupil: Person, client_for) -> None:
    client = client_for(auditor)
    assert client.get("/people/").status_code in (403, 404)
    assert client.get(f"/people/{pupil.pk}/").status_code in (403, 404)


def test_auditor_cannot_read_people_by_api(auditor: User, pupil: Person, client_for) -> None:
    client = client_for(auditor)
    assert client.get("/api/v1/people/").status_code == 403
    assert client.get(f"/api/v1/people/{pupil.pk}/").status_code in (403, 404)


def test_auditor_cannot_manage_units_or_users(auditor: User, client_for) -> None:
    client = client_for(auditor)
    assert client.get("/accounts/units/").status_code == 403
    assert client.get("/accounts/users/").status_code == 403
