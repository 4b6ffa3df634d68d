"""Who reads which care records (`for_user` of each model), and the models' own rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from weibao.accounts.models import Organisation, Role, User
from weibao.care.models import (
    CareAppointment,
    CareWarning,
    Contact,
    Difficulty,
    Visit,
    child_township,
    concern_reason,
    posts_of,
)
from weibao.people.models import LeftBehindStatus, Person
from weibao.testing import County, make_user

from .conftest import appoint

pytestmark = pytest.mark.django_db


def records_of(child: Person, visitor: User) -> dict[str, object]:
    """One record of each kind about the child."""
    visit = Visit.objects.create(child=child, visited_on=date(2026, 9, 1), visitor=visitor)
    return {
        "difficulty": Difficulty.objects.create(
            child=child, category=Difficulty.Category.HARDSHIP, since=date(2026, 1, 1)
        ),
        "contact": Contact.objects.create(
            child=child, contacted_on=date(2026, 9, 10), by_whom="母亲", means=Contact.Means.VIDEO
        ),
        "visit": visit,
        "warning": CareWarning.objects.create(
            child=child, reason=CareWarning.Reason.CHILD_ALONE, visit=visit
        ),
    }


MODELS = {"difficulty": Difficulty, "contact": Contact, "visit": Visit, "warning": CareWarning}


@pytest.fixture
def everything(
    child_a: Person, child_b: Person, child_town: Person, civil: User
) -> dict[str, dict[str, object]]:
    return {
        "a": records_of(child_a, civil),
        "b": records_of(child_b, civil),
        "town": records_of(child_town, civil),
    }


def seen(user: User, everything: dict[str, dict[str, object]]) -> set[str]:
    """Which children's records (a, b, town) the user reads; the same for every model."""
    found: dict[str, set[str]] = {}
    for kind, model in MODELS.items():
        pks = set(model.objects.for_user(user).values_list("pk", flat=True))  # type: ignore[attr-defined]
        found[kind] = {
            who
            for who, records in everything.items()
            if records[kind].pk in pks  # type: ignore[attr-defined]
        }
    values = list(found.values())
    assert all(v == values[0] for v in values), found
    return values[0]


def test_civil_affairs_and_coordinator_read_every_child(
    everything: dict[str, dict[str, object]], civil: User, civil_reader: User, coordinator: User
) -> None:
    assert seen(civil, everything) == {"a", "b", "town"}
    assert seen(civil_reader, everything) == {"a", "b", "town"}
    assert seen(coordinator, everything) == {"a", "b", "town"}


def test_director_reads_the_children_of_their_village(
    everything: dict[str, dict[str, object]], director: User
) -> None:
    assert seen(director, everything) == {"a"}


def test_supervisor_reads_the_children_of_their_township(
    everything: dict[str, dict[str, object]], supervisor: User
) -> None:
    assert seen(supervisor, everything) == {"a", "town"}


def test_school_reads_its_left_behind_pupils_only(
    everything: dict[str, dict[str, object]],
    county: County,
    child_a: Person,
    liaison_a: User,
    liaison_b: User,
    admin_a: User,
) -> None:
    assert seen(liaison_a, everything) == {"a"}
    assert seen(admin_a, everything) == {"a"}
    assert seen(liaison_b, everything) == {"b"}
    LeftBehindStatus.objects.filter(child=child_a).update(is_active=False)
    assert seen(make_user("liaison_a2", county.school_a, Role.CAMPUS_LIAISON), everything) == set()


def test_everyone_else_reads_nothing(
    everything: dict[str, dict[str, object]],
    county: County,
    police: User,
    township_worker: User,
    outsider: User,
    sysadmin: User,
    auditor: User,
    village_committee: Organisation,
) -> None:
    """Neither a territorial unit (the township government, the police station, the village
    committee) without an appointment, nor the system administrator or auditor."""
    clerk = make_user("village_clerk", village_committee, Role.CASE_WORKER)
    for user in (police, township_worker, outsider, sysadmin, auditor, clerk):
        assert seen(user, everything) == set(), user


def test_an_ended_appointment_reads_nothing(
    everything: dict[str, dict[str, object]], county: County, director: User
) -> None:
    CareAppointment.objects.filter(user=director).update(ends_on=date(2026, 9, 1))
    fresh = User.objects.get(pk=director.pk)
    assert posts_of(fresh) == []
    assert seen(fresh, everything) == set()


def test_an_appointed_auditor_still_reads_nothing(
    everything: dict[str, dict[str, object]], county: County, auditor: User
) -> None:
    appoint(CareAppointment.Role.SUPERVISOR, county.township_a, auditor)
    assert seen(auditor, everything) == set()


def test_appointments_for_user(
    county: County,
    director: User,
    supervisor: User,
    civil: User,
    liaison_a: User,
    outsider: User,
) -> None:
    director_b = appoint(CareAppointment.Role.DIRECTOR, county.village_b, None)
    mine = CareAppointment.objects.get(user=director)
    theirs = CareAppointment.objects.get(user=supervisor)
    assert set(CareAppointment.objects.for_user(civil)) == {mine, theirs, director_b}
    assert set(CareAppointment.objects.for_user(supervisor)) == {mine, theirs}
    assert set(CareAppointment.objects.for_user(director)) == {mine}
    assert not CareAppointment.objects.for_user(liaison_a).exists()
    assert not CareAppointment.objects.for_user(outsider).exists()


def test_covering_finds_the_village_director_and_township_supervisor(
    county: County, director: User, supervisor: User
) -> None:
    appoint(CareAppointment.Role.DIRECTOR, county.village_b, None)
    found = CareAppointment.objects.covering(county.village_a)
    assert {a.user for a in found} == {director, supervisor}
    assert {a.user for a in CareAppointment.objects.covering(county.township_a)} == {supervisor}
    assert not CareAppointment.objects.covering(None).exists()


def test_one_current_appointment_per_role_and_division(county: County, director: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        appoint(CareAppointment.Role.DIRECTOR, county.village_a, None)
    appoint(CareAppointment.Role.SUPERVISOR, county.village_a, None)  # another role is another post


def test_an_appointment_names_someone(county: County) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CareAppointment.objects.create(
            role=CareAppointment.Role.DIRECTOR,
            division=county.village_a,
            starts_on=date(2026, 1, 1),
        )


def test_an_appointment_ends_after_it_starts(county: County) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CareAppointment.objects.create(
            role=CareAppointment.Role.DIRECTOR,
            division=county.village_a,
            person_name="李主任",
            starts_on=date(2026, 1, 2),
            ends_on=date(2026, 1, 1),
        )


def test_one_open_warning_per_reason(child_a: Person) -> None:
    CareWarning.objects.create(child=child_a, reason=CareWarning.Reason.CHILD_ALONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CareWarning.objects.create(child=child_a, reason=CareWarning.Reason.CHILD_ALONE)
    CareWarning.objects.filter(child=child_a).update(closed_at="2026-09-15T02:00:00Z")
    CareWarning.objects.create(child=child_a, reason=CareWarning.Reason.CHILD_ALONE)
    assert CareWarning.objects.open().count() == 1


def test_one_current_difficulty_per_category(child_a: Person) -> None:
    Difficulty.objects.create(
        child=child_a, category=Difficulty.Category.HARDSHIP, since=date(2026, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Difficulty.objects.create(
            child=child_a, category=Difficulty.Category.HARDSHIP, since=date(2026, 2, 1)
        )
    Difficulty.objects.create(
        child=child_a, category=Difficulty.Category.LACKING_CARE, since=date(2026, 2, 1)
    )
    assert Difficulty.objects.current().count() == 2


def test_a_fit_carer_has_no_concern(child_a: Person, civil: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            child=child_a,
            visited_on=date(2026, 9, 1),
            visitor=civil,
            carer_fit=True,
            concern=Visit.Concern.CHILD_ALONE,
        )


def test_concern_reason_and_township(
    county: County, child_a: Person, child_town: Person, make_child: Callable[..., Person]
) -> None:
    assert concern_reason("") == CareWarning.Reason.CARER_UNFIT
    assert concern_reason(Visit.Concern.CHILD_ALONE) == CareWarning.Reason.CHILD_ALONE
    assert concern_reason(Visit.Concern.CARER_ABSENT) == CareWarning.Reason.CARER_ABSENT
    assert child_township(child_a) == county.township_a
    assert child_township(child_town) == county.township_a
    assert child_township(make_child(None)) is None
    assert child_township(make_child(county.county)) is None


def test_in_division(everything: dict[str, dict[str, object]], county: County) -> None:
    found = set(Visit.objects.in_division(county.township_a))
    assert found == {everything["a"]["visit"], everything["town"]["visit"]}
