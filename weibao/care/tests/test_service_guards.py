"""Every care service refuses a wrong actor called directly, before writing anything."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import User
from weibao.care import services
from weibao.care.models import CareAppointment, CareWarning, Contact, Difficulty, Visit
from weibao.people.models import Person
from weibao.testing import County

from .conftest import appoint

pytestmark = pytest.mark.django_db

# Users who keep no child's care: a school (it reads its pupils' care), civil affairs'
# read-only clerk, the police, the township government without an appointment, an outsider,
# the system administrator and the auditor.
NOT_KEEPERS = [
    "liaison_a",
    "civil_reader",
    "police",
    "township_worker",
    "outsider",
    "sysadmin",
    "auditor",
]


@pytest.fixture
def user(request: pytest.FixtureRequest) -> User:
    user: User = request.getfixturevalue(request.param)
    return user


def calls(child: Person, warning: CareWarning, difficulty: Difficulty) -> dict[str, Any]:
    return {
        "contact": lambda actor: services.contact_record(
            actor=actor,
            child=child,
            data={"contacted_on": date(2026, 9, 14), "by_whom": "母亲", "means": "phone"},
        ),
        "visit": lambda actor: services.visit_record(
            actor=actor,
            child=child,
            data={"visited_on": date(2026, 9, 14), "carer_fit": False},
        ),
        "difficulty": lambda actor: services.difficulty_record(
            actor=actor,
            child=child,
            data={"category": Difficulty.Category.LACKING_CARE, "since": date(2026, 1, 1)},
        ),
        "difficulty_end": lambda actor: services.difficulty_end(actor=actor, difficulty=difficulty),
        "raise": lambda actor: services.warning_raise(
            actor=actor, child=child, reason=CareWarning.Reason.CARER_ABSENT
        ),
        "close": lambda actor: services.warning_close(
            actor=actor, warning=warning, reason="照护人已更换"
        ),
    }


@pytest.fixture
def targets(child_a: Person, child_b: Person) -> dict[str, tuple[Person, CareWarning, Difficulty]]:
    found = {}
    for key, child in (("a", child_a), ("b", child_b)):
        warning = CareWarning.objects.create(child=child, reason=CareWarning.Reason.CHILD_ALONE)
        difficulty = Difficulty.objects.create(
            child=child, category=Difficulty.Category.HARDSHIP, since=date(2026, 1, 1)
        )
        found[key] = (child, warning, difficulty)
    return found


def nothing_written(child: Person, warning: CareWarning, difficulty: Difficulty) -> None:
    assert not Contact.objects.exists() and not Visit.objects.exists()
    assert Difficulty.objects.filter(child=child).count() == 1
    assert CareWarning.objects.filter(child=child).count() == 1
    warning.refresh_from_db()
    difficulty.refresh_from_db()
    assert warning.is_open and difficulty.ended_on is None


@pytest.mark.parametrize("user", NOT_KEEPERS, indirect=True)
@pytest.mark.parametrize(
    "call", ["contact", "visit", "difficulty", "difficulty_end", "raise", "close"]
)
def test_who_keeps_no_care_is_refused(
    user: User, call: str, targets: dict[str, tuple[Person, CareWarning, Difficulty]]
) -> None:
    with pytest.raises(PermissionDenied):
        calls(*targets["a"])[call](user)
    nothing_written(*targets["a"])


@pytest.mark.parametrize("user", ["director", "supervisor"], indirect=True)
@pytest.mark.parametrize(
    "call", ["contact", "visit", "difficulty", "difficulty_end", "raise", "close"]
)
def test_a_post_keeps_only_its_own_divisions_children(
    user: User, call: str, targets: dict[str, tuple[Person, CareWarning, Difficulty]]
) -> None:
    """Village A's director and township A's supervisor, about a child of township B."""
    with pytest.raises(PermissionDenied):
        calls(*targets["b"])[call](user)
    nothing_written(*targets["b"])


def test_an_ended_post_keeps_nothing(
    director: User, targets: dict[str, tuple[Person, CareWarning, Difficulty]]
) -> None:
    CareAppointment.objects.filter(user=director).update(ends_on=date(2026, 9, 1))
    former = User.objects.get(pk=director.pk)
    for call in calls(*targets["a"]).values():
        with pytest.raises(PermissionDenied):
            call(former)
    nothing_written(*targets["a"])


@pytest.mark.parametrize(
    "user",
    ["director", "supervisor", "civil_reader", "liaison_a", "police", "outsider", "sysadmin"],
    indirect=True,
)
def test_only_civil_affairs_and_coordinators_appoint(user: User, county: County) -> None:
    current = appoint(CareAppointment.Role.SUPERVISOR, county.township_b, None)
    before = CareAppointment.objects.count()
    with pytest.raises(PermissionDenied):
        services.appointment_make(
            actor=user,
            data={
                "role": CareAppointment.Role.DIRECTOR,
                "division": county.village_b,
                "person_name": "赵主任",
            },
        )
    with pytest.raises(PermissionDenied):
        services.appointment_end(actor=user, appointment=current)
    assert CareAppointment.objects.count() == before
    assert CareAppointment.objects.filter(ends_on__isnull=False).count() == 0


def test_the_coordinator_appoints(coordinator: User, county: County) -> None:
    made = services.appointment_make(
        actor=coordinator,
        data={
            "role": CareAppointment.Role.DIRECTOR,
            "division": county.village_b,
            "person_name": "赵",
        },
    )
    assert made.is_current
