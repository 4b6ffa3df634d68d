"""Every user-triggered schools service refuses a wrong actor itself, and writes nothing."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import Organisation
from weibao.audit.models import AuditEvent
from weibao.schools import services
from weibao.schools.models import LiaisonAppointment, School
from weibao.schools.tests.conftest import row, xlsx


def _counts() -> tuple[int, ...]:
    return (
        School.objects.count(),
        School.objects.filter(closed_on__isnull=False).count(),
        Organisation.objects.count(),
        LiaisonAppointment.objects.count(),
        LiaisonAppointment.objects.filter(ended_on__isnull=False).count(),
        AuditEvent.objects.count(),
    )


CALLS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "school_create": lambda actor, f: services.school_create(
        actor=actor, data={"name": "新学校", "division": f["county"].village_a, "kind": "primary"}
    ),
    "school_update": lambda actor, f: services.school_update(
        actor=actor, school=f["record_b"], data={"pupil_count": 1}
    ),
    "school_close": lambda actor, f: services.school_close(actor=actor, school=f["record_b"]),
    "liaison_appoint": lambda actor, f: services.liaison_appoint(
        actor=actor, school=f["record_a"], user=f["liaison_a2"]
    ),
    "liaison_end": lambda actor, f: services.liaison_end(actor=actor, appointment=f["appointed_a"]),
    "schools_import": lambda actor, f: services.schools_import(actor=actor, upload=xlsx([row()])),
    "schools_export": lambda actor, f: services.schools_export(actor=actor),
}

# Who each rule excludes: outsiders, read-only and oversight users, liaisons, and (for what a
# school's own admin may do) the admin of another school.
WRONG: dict[str, tuple[str, ...]] = {
    "school_create": ("outsider", "auditor", "liaison_a", "admin_a"),
    "school_update": ("outsider", "auditor", "liaison_b", "admin_a"),
    "school_close": ("outsider", "auditor", "liaison_b", "admin_a"),
    "liaison_appoint": ("outsider", "auditor", "liaison_a", "admin_b"),
    "liaison_end": ("outsider", "auditor", "liaison_a", "admin_b"),
    "schools_import": ("outsider", "auditor", "liaison_a", "admin_a"),
    "schools_export": ("outsider", "auditor", "liaison_a", "admin_a"),
}

pytestmark = pytest.mark.django_db

CASES = [(name, who) for name, actors in WRONG.items() for who in actors]


@pytest.fixture
def admin_b(county: Any) -> Any:
    from weibao.accounts.models import Role
    from weibao.testing import make_user

    return make_user("admin_b", county.school_b, Role.UNIT_ADMIN)


@pytest.mark.parametrize(("service", "who"), CASES)
def test_a_wrong_actor_is_refused_and_nothing_changes(
    service: str, who: str, request: pytest.FixtureRequest
) -> None:
    names = ("county", "record_a", "record_b", "appointed_a", "liaison_a2", who)
    f: dict[str, Any] = {name: request.getfixturevalue(name) for name in names}
    before = _counts()
    with pytest.raises(PermissionDenied):
        CALLS[service](f[who], f)
    assert _counts() == before


def test_every_service_taking_an_actor_is_covered() -> None:
    taking_actor = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__
        and "actor" in inspect.signature(function).parameters
        and not name.startswith("_")
    }
    assert taking_actor == set(CALLS) == set(WRONG)
