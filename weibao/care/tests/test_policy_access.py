"""The permissions pages will check, and the access helpers (404 for a record out of reach)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from weibao.accounts.models import User
from weibao.care import access
from weibao.care.models import CareAppointment, CareWarning, Contact, Difficulty, Visit
from weibao.people.models import Person
from weibao.testing import County

pytestmark = pytest.mark.django_db

ALL = [
    "civil",
    "civil_reader",
    "coordinator",
    "director",
    "supervisor",
    "liaison_a",
    "liaison_b",
    "police",
    "township_worker",
    "outsider",
    "sysadmin",
    "auditor",
]


@pytest.fixture
def users(request: pytest.FixtureRequest) -> dict[str, User]:
    return {name: request.getfixturevalue(name) for name in ALL}


def who_has(users: dict[str, User], perm: str, obj: Any = None) -> set[str]:
    return {name for name, user in users.items() if user.has_perm(perm, obj)}


def test_list_permissions(users: dict[str, User]) -> None:
    assert who_has(users, "care.view_children") == {
        "civil",
        "civil_reader",
        "coordinator",
        "director",
        "supervisor",
        "liaison_a",
        "liaison_b",
    }
    assert who_has(users, "care.view_appointments") == {
        "civil",
        "civil_reader",
        "coordinator",
        "director",
        "supervisor",
    }
    assert who_has(users, "care.manage_appointments") == {"civil", "coordinator"}


def test_township_lists(users: dict[str, User], county: County) -> None:
    assert who_has(users, "care.view_township", county.township_a) == {
        "civil",
        "civil_reader",
        "coordinator",
        "supervisor",
    }
    assert who_has(users, "care.view_township", county.township_b) == {
        "civil",
        "civil_reader",
        "coordinator",
    }
    assert who_has(users, "care.view_township", None) == set()


def test_keeping_a_child(
    users: dict[str, User], child_a: Person, child_b: Person, child_town: Person
) -> None:
    assert who_has(users, "care.keep_child", child_a) == {
        "civil",
        "coordinator",
        "director",
        "supervisor",
    }
    assert who_has(users, "care.keep_child", child_town) == {"civil", "coordinator", "supervisor"}
    assert who_has(users, "care.keep_child", child_b) == {"civil", "coordinator"}
    assert who_has(users, "care.keep_child", None) == set()


def test_reading_a_record(users: dict[str, User], child_a: Person, child_b: Person) -> None:
    visit = Visit.objects.create(child=child_a, visited_on=date(2026, 9, 1), visitor=users["civil"])
    readers_a = {"civil", "civil_reader", "coordinator", "director", "supervisor", "liaison_a"}
    assert who_has(users, "care.view_record", visit) == readers_a
    warning = CareWarning.objects.create(child=child_b, reason=CareWarning.Reason.CARER_UNFIT)
    assert who_has(users, "care.view_record", warning) == {
        "civil",
        "civil_reader",
        "coordinator",
        "liaison_b",
    }
    assert who_has(users, "care.view_record", child_a) == set()  # not a care record
    closers = who_has(users, "care.close_warning", warning)
    assert closers == {"civil", "coordinator"}


def test_access_helpers(users: dict[str, User], child_a: Person, child_b: Person) -> None:
    civil = users["civil"]
    made = {
        access.access_visit: Visit.objects.create(
            child=child_a, visited_on=date(2026, 9, 1), visitor=civil
        ),
        access.access_contact: Contact.objects.create(
            child=child_a, contacted_on=date(2026, 9, 1), by_whom="父亲", means="phone"
        ),
        access.access_difficulty: Difficulty.objects.create(
            child=child_a, category=Difficulty.Category.HARDSHIP, since=date(2026, 1, 1)
        ),
        access.access_warning: CareWarning.objects.create(
            child=child_a, reason=CareWarning.Reason.CARER_ABSENT
        ),
        access.access_appointment: CareAppointment.objects.get(user=users["director"]),
    }
    for helper, obj in made.items():
        assert helper(users["director"], obj.pk) == obj
        assert helper(civil, obj.pk, for_update=True) == obj
        for name in ("liaison_b", "police", "outsider", "sysadmin", "auditor"):
            with pytest.raises(Http404):
                helper(users[name], obj.pk)
        with pytest.raises(Http404):
            helper(civil, "not a key")
    fetched = access.access_visit(users["liaison_a"], made[access.access_visit].pk)
    assert users["liaison_a"].has_perm("care.view_record", fetched)
