"""Every people service a user triggers checks the actor itself: a wrong actor changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import Role
from weibao.audit.models import AuditEvent
from weibao.core.models import Job
from weibao.people import services
from weibao.people.models import Guardianship, LeftBehindStatus, Person
from weibao.people.tests.conftest import make_person
from weibao.testing import make_user


@pytest.fixture
def reader_a(county):
    """A read-only user of school A: sees pupil A, may change nothing."""
    return make_user("reader_a", county.school_a, Role.READ_ONLY)


@pytest.fixture
def adult_a(county) -> Person:
    return make_person("王奶奶", county.school_a, birth_date=date(1950, 1, 1), sex="F")


def _state() -> tuple:
    people = tuple(Person.objects.order_by("pk").values_list("pk", "name", "phone", "school_id"))
    return (
        people,
        Guardianship.objects.count(),
        tuple(LeftBehindStatus.objects.values_list("pk", "parents_away", "is_active")),
        AuditEvent.objects.count(),
        Job.objects.count(),
    )


CALLS = {
    "person_create": lambda actor, pupil, adult: services.person_create(
        actor=actor, data={"name": "新人", "sex": "M", "birth_date": date(2014, 5, 5)}
    ),
    "person_update": lambda actor, pupil, adult: services.person_update(
        actor=actor, person=pupil, data={"name": "改名"}
    ),
    "person_view": lambda actor, pupil, adult: services.person_view(actor=actor, person=pupil),
    "person_reveal": lambda actor, pupil, adult: services.person_reveal(
        actor=actor, person=pupil, field="phone", reason="家访需要联系"
    ),
    "guardian_add": lambda actor, pupil, adult: services.guardian_add(
        actor=actor, child=pupil, guardian=adult, relationship="grandparent"
    ),
    "left_behind_set": lambda actor, pupil, adult: services.left_behind_set(
        actor=actor, child=pupil, data={"parents_away": "both"}
    ),
    "person_export_start": lambda actor, pupil, adult: services.person_export_start(
        actor=actor, filters={}, purpose="年度统计报表"
    ),
    "person_export": lambda actor, pupil, adult: services.person_export(
        actor=actor, filters={}, purpose="年度统计报表"
    ),
}

CASES = [
    ("person_create", "reader_a"),
    ("person_create", "auditor"),
    ("person_update", "liaison_b"),
    ("person_update", "reader_a"),
    ("person_update", "sysadmin"),
    ("person_view", "liaison_b"),
    ("person_view", "outsider"),
    ("person_view", "auditor"),
    ("person_reveal", "liaison_b"),
    ("person_reveal", "sysadmin"),
    ("person_reveal", "auditor"),
    ("guardian_add", "liaison_b"),
    ("guardian_add", "reader_a"),
    ("left_behind_set", "liaison_b"),
    ("left_behind_set", "reader_a"),
    ("person_export_start", "sysadmin"),
    ("person_export", "auditor"),
]


@pytest.mark.parametrize(("service", "user"), CASES)
def test_wrong_actor_is_refused_and_nothing_changes(request, pupil_a, adult_a, service, user):
    actor = request.getfixturevalue(user)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[service](actor, pupil_a, adult_a)
    assert _state() == before
    pupil_a.refresh_from_db()
    assert pupil_a.name == "张三"


def test_every_user_triggered_service_is_covered() -> None:
    assert {service for service, _user in CASES} == set(CALLS)
