"""`manage.py seed_demo`: the county it writes, and that running it twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from weibao.accounts.models import Division, Organisation, User
from weibao.audit.models import AuditEvent
from weibao.demo import plan
from weibao.lib import idnumber
from weibao.people.models import Guardianship, LeftBehindStatus, Person


def counts() -> dict[str, int]:
    return {
        "divisions": Division.objects.count(),
        "units": Organisation.objects.count(),
        "users": User.objects.count(),
        "people": Person.objects.count(),
        "guardianships": Guardianship.objects.count(),
        "left_behind": LeftBehindStatus.objects.count(),
    }


def test_divisions_and_every_kind_of_unit(seed_output: str) -> None:
    level = Division.Level
    assert Division.objects.get(code="361025000000").name == "乐安县"
    assert Division.objects.filter(level=level.TOWNSHIP).count() == 15
    assert Division.objects.filter(level=level.VILLAGE).count() == 180
    assert not Division.objects.filter(level=level.VILLAGE, parent__level=level.COUNTY).exists()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(Organisation.Kind.values)
    assert Organisation.objects.schools().count() == 100
    education = Organisation.objects.get(kind=Organisation.Kind.EDUCATION)
    assert set(Organisation.objects.schools().values_list("parent", flat=True)) == {education.pk}
    bureau = Organisation.objects.get(kind=Organisation.Kind.PUBLIC_SECURITY)
    stations = Organisation.objects.filter(kind=Organisation.Kind.POLICE_STATION)
    assert stations.count() == 15
    assert set(stations.values_list("parent", flat=True)) == {bureau.pk}
    codes = [c for c in Organisation.objects.values_list("credit_code", flat=True)]
    assert all(codes) and len(set(codes)) == len(codes)


def test_every_id_number_parses_and_matches_the_person(seed_output: str) -> None:
    people = list(Person.objects.all())
    assert len(people) > 1000  # 500 pupils and their guardians
    for person in people:
        parsed = idnumber.parse(person.id_number)
        assert parsed.birth_date == person.birth_date, person.pk
        assert parsed.sex == person.sex, person.pk
        assert person.name_pinyin and person.name_initials
    hashes = [p.id_number_hash for p in people]
    assert all(hashes) and len(set(hashes)) == len(hashes), "the blind index is unique"


def test_pupils_fit_their_schools(seed_output: str) -> None:
    today = timezone.localdate()
    pupils = Person.objects.filter(school__isnull=False).select_related("school", "division")
    assert pupils.count() == 500
    for pupil in pupils:
        school = pupil.school
        assert school is not None and pupil.division is not None
        low, high = plan.AGES[school.kind]
        age = pupil.age_on(today)
        assert age is not None and low <= age <= high, (pupil.pk, school.kind)
        assert pupil.division.code[:9] == school.division.code[:9]
        assert pupil.registered_by_id == school.pk
        assert pupil.grade and pupil.class_name
    # School A (the first primary school) has pupils for the demo accounts to see.
    assert Person.objects.filter(school__name=plan.SCHOOL_A).exists()


def test_guardians_and_left_behind_children(seed_output: str) -> None:
    pupils = Person.objects.filter(school__isnull=False)
    per_child = pupils.annotate(n=Count("guardianships")).values_list("n", flat=True)
    assert set(per_child) <= {1, 2} and 2 in set(per_child)
    left = LeftBehindStatus.objects.select_related("entrusted_carer", "child")
    share = left.count() / pupils.count()
    assert 0.08 <= share <= 0.11  # 4,700 of 50,000 is 9.4%
    for status in left:
        carer = status.entrusted_carer
        assert carer is not None
        link = Guardianship.objects.get(child=status.child, guardian=carer)
        assert link.relationship == Guardianship.Relationship.GRANDPARENT
        assert link.is_primary
    assert any(s.contact_overdue for s in left), "some parents have not called for a week"
    assert Person.objects.filter(school__isnull=True).exclude(phone="").exists()


def test_prints_the_counts_and_the_accounts(seed_output: str) -> None:
    for text in ("15", "180", "500", "coordinator", "liaison_a", "Weibao@2026", "sysadmin"):
        assert text in seed_output
    assert "TOTP" in seed_output


def test_records_one_audit_event(seed_output: str) -> None:
    # One event for the base county (each app's demo part may add its own).
    event = AuditEvent.objects.get(actor_username="seed_demo", detail__pupils__isnull=False)
    assert event.action == AuditEvent.Action.CREATE
    assert event.detail["pupils"] == 500


def test_running_twice_changes_nothing(seed_output: str) -> None:
    before = counts()
    out = StringIO()
    call_command("seed_demo", "--scale", "0.01", stdout=out)
    assert "already seeded" in out.getvalue()
    assert counts() == before


def test_reset_builds_the_same_county_again_from_the_same_seed(seed_output: str) -> None:
    def snapshot() -> list[tuple[str, str]]:
        return list(Person.objects.order_by("id_number_hash").values_list("name", "id_number_hash"))

    def first_numbers() -> list[str]:
        return [p.id_number for p in Person.objects.order_by("id_number_hash")[:20]]

    before, numbers, ids = snapshot(), counts(), first_numbers()
    call_command("seed_demo", "--scale", "0.01", "--reset", stdout=StringIO())
    assert snapshot() == before
    assert counts() == numbers
    assert first_numbers() == ids


def test_another_seed_gives_other_people(seed_output: str) -> None:
    before = set(Person.objects.values_list("name", flat=True)[:200])
    call_command("seed_demo", "--scale", "0.01", "--seed", "99", "--reset", stdout=StringIO())
    after = set(Person.objects.values_list("name", flat=True)[:200])
    assert before != after


@pytest.mark.parametrize("scale", ["0", "-1", "abc", "21"])
def test_bad_scale_is_refused_and_nothing_is_written(db: None, scale: str) -> None:
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", scale, stdout=StringIO(), stderr=StringIO())
    assert counts()["divisions"] == 0


def test_bad_date_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="--as-of"):
        call_command("seed_demo", "--as-of", "2026-13-01", stdout=StringIO(), stderr=StringIO())
    assert counts()["divisions"] == 0


def test_the_roles_see_what_their_units_should(seed_output: str) -> None:
    liaison_a = User.objects.get(username="liaison_a")
    liaison_b = User.objects.get(username="liaison_b")
    police = User.objects.get(username="police")
    hotel = User.objects.get(username="hotel_clerk")
    school_a = Organisation.objects.get(name=plan.SCHOOL_A)
    seen_by_a = Person.objects.for_user(liaison_a)
    assert (
        seen_by_a.filter(school=school_a).count() == Person.objects.filter(school=school_a).count()
    )
    assert not seen_by_a.exclude(registered_by=school_a).exists()
    assert not Person.objects.for_user(liaison_b).filter(school=school_a).exists()
    outside = Person.objects.for_user(police).exclude(division__code__startswith="361025100")
    assert not outside.exists()
    assert Person.objects.for_user(police).exists()
    assert not Person.objects.for_user(hotel).exists()


def test_a_failed_rebuild_keeps_the_old_county(
    seed_output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weibao.demo.management.commands import seed_demo

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    before = counts()
    monkeypatch.setattr(seed_demo, "demo_county_seed", broken)
    with pytest.raises(RuntimeError):
        call_command("seed_demo", "--scale", "0.01", "--reset", stdout=StringIO())
    assert counts() == before


def test_reset_refuses_when_other_records_point_into_the_county(seed_output: str) -> None:
    elsewhere = Division.objects.create(
        code="361026000000", name="宜黄县", level=Division.Level.COUNTY
    )
    Organisation.objects.create(
        name="宜黄县某校",
        kind=Organisation.Kind.SCHOOL_PRIMARY,
        division=elsewhere,
        parent=Organisation.objects.get(name=plan.EDUCATION_BUREAU),
    )
    before = counts()
    with pytest.raises(CommandError, match="Cannot delete the demo county"):
        call_command("seed_demo", "--scale", "0.01", "--reset", stdout=StringIO())
    assert counts() == before
