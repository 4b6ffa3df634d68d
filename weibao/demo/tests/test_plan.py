"""The demo county generator, without the database: shape, validity and determinism."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import islice

import pytest

from weibao.accounts.models import Division, Organisation
from weibao.demo import names, plan
from weibao.demo.plan import IdNumbers, birth_for_age, plan_county, plan_pupils
from weibao.lib import creditcode, divisions, idnumber

AS_OF = date(2026, 3, 1)
Kind = Organisation.Kind


@pytest.fixture(scope="module")
def county() -> plan.CountyPlan:
    return plan_county(names.DEFAULT_SEED)


def test_division_tree_has_15_townships_and_180_villages(county: plan.CountyPlan) -> None:
    assert [d.code for d in county.divisions if d.level == Division.Level.COUNTY] == [
        "361025000000"
    ]
    assert len(county.townships) == 15
    assert len(county.villages) == 180
    assert county.townships[0].name == "鳌溪镇"
    for township in county.townships:
        kind = divisions.township_kind(township.code)
        assert kind == ("town" if township.name.endswith("镇") else "township"), township
        assert divisions.parse(township.code).level == divisions.Level.TOWNSHIP
        villages = county.villages_by_township[township.code]
        assert len({v.name for v in villages}) == len(villages), "names unique in a township"
        for village in villages:
            assert village.parent_code == township.code
            assert divisions.parse(village.code).level == divisions.Level.VILLAGE
            expected = "community" if village.name.endswith("社区") else "village"
            assert divisions.village_kind(village.code) == expected, village
            assert village.name.endswith(("社区", "村"))


def test_every_kind_of_unit_is_there_with_valid_unique_credit_codes(
    county: plan.CountyPlan,
) -> None:
    units = county.units
    assert {u.kind for u in units} == set(Kind.values)
    assert len({u.name for u in units}) == len(units)
    assert len({u.credit_code for u in units}) == len(units)
    for unit in units:
        assert creditcode.validate(unit.credit_code) == unit.credit_code
    by_name = {u.name: u for u in units}
    for unit in units:
        if unit.parent is not None:
            assert unit.parent in by_name, unit
            # Parents come first, so the units can be written in order.
            assert units.index(by_name[unit.parent]) < units.index(unit)
    for school in county.schools:
        assert school.parent == plan.EDUCATION_BUREAU
        assert county.division_names[school.division_code].endswith(("社区", "村"))
    stations = [u for u in units if u.kind == Kind.POLICE_STATION]
    assert len(stations) == 15
    assert {s.parent for s in stations} == {plan.PUBLIC_SECURITY_BUREAU}
    assert "乐安县人民检察院鳌溪检察室" in by_name
    assert len([u for u in units if u.kind == Kind.VILLAGE_COMMITTEE]) == 180
    assert len([u for u in units if u.kind == Kind.TOWNSHIP]) == 15


def test_about_100_schools_of_every_kind_and_more_when_scaled_up() -> None:
    small = plan_county(1, scale=0.01)
    assert len(small.schools) == 100
    assert {s.kind for s in small.schools} == set(Organisation.SCHOOL_KINDS)
    assert small.schools[0].name == plan.SCHOOL_A
    assert small.schools[0].kind == Kind.SCHOOL_PRIMARY
    assert plan.SCHOOL_B in {s.name for s in small.schools}
    assert len(plan_county(1, scale=2).schools) == 200
    assert len(plan_county(1, scale=10).schools) == 500  # capped at five times
    big = plan_county(1, scale=10)
    assert len({u.name for u in big.units}) == len(big.units)


def test_same_seed_gives_the_same_county_and_people() -> None:
    first, second = plan_county(7, scale=0.01), plan_county(7, scale=0.01)
    assert first == second
    a = list(islice(plan_pupils(first, scale=0.01, as_of=AS_OF), 60))
    b = list(islice(plan_pupils(second, scale=0.01, as_of=AS_OF), 60))
    assert [p.child.name for p in a] == [p.child.name for p in b]
    assert [p.child.id_number for p in a] == [p.child.id_number for p in b]
    assert [g.person.id_number for p in a for g in p.guardians] == [
        g.person.id_number for p in b for g in p.guardians
    ]


def test_another_seed_gives_other_names() -> None:
    a = list(islice(plan_pupils(plan_county(1, scale=0.01), scale=0.01, as_of=AS_OF), 60))
    b = list(islice(plan_pupils(plan_county(2, scale=0.01), scale=0.01, as_of=AS_OF), 60))
    assert [p.child.name for p in a] != [p.child.name for p in b]
    assert plan_county(1).villages != plan_county(2).villages


def test_pupils_are_valid_and_fit_their_school(county: plan.CountyPlan) -> None:
    schools = {s.name: s for s in county.schools}
    pupils = list(plan_pupils(county, scale=0.02, as_of=AS_OF))
    assert len(pupils) == 1000
    numbers = [p.child.id_number for p in pupils]
    numbers += [g.person.id_number for p in pupils for g in p.guardians]
    assert len(set(numbers)) == len(numbers)
    for pupil in pupils:
        child, school = pupil.child, schools[pupil.school]
        parsed = idnumber.parse(child.id_number, today=AS_OF)
        assert (parsed.birth_date, parsed.sex) == (child.birth_date, child.sex)
        assert child.id_number.startswith(names.ID_PREFIX)
        low, high = plan.AGES[school.kind]
        assert low <= idnumber.age_on(child.birth_date, AS_OF) <= high, (child, school)
        assert child.division_code[:9] == school.division_code[:9], "lives in the township"
        assert 1 <= len(pupil.guardians) <= 2
        assert sum(g.is_primary for g in pupil.guardians) == 1
        for guardian in pupil.guardians:
            adult = guardian.person
            parsed = idnumber.parse(adult.id_number, today=AS_OF)
            assert (parsed.birth_date, parsed.sex) == (adult.birth_date, adult.sex)
            gap = idnumber.age_on(adult.birth_date, AS_OF) - idnumber.age_on(
                child.birth_date, AS_OF
            )
            if guardian.relationship == "grandparent":
                assert 46 <= gap <= 68
            else:
                assert 21 <= gap <= 47
                assert adult.sex == ("M" if guardian.relationship == "father" else "F")
            if guardian.relationship == "father":
                assert adult.name[0] == child.name[0], "a father gives his surname"
            assert adult.phone.isdigit() and len(adult.phone) == 11
        if pupil.left_behind is not None:
            assert pupil.guardians[0].relationship == "grandparent"
            assert pupil.guardians[0].is_primary


def test_left_behind_share_is_about_9_4_percent(county: plan.CountyPlan) -> None:
    pupils = list(plan_pupils(county, scale=0.1, as_of=AS_OF))
    left = [p for p in pupils if p.left_behind is not None]
    assert len(pupils) == 5000
    assert len(left) == 470  # exactly 4,700 x scale
    today = AS_OF
    overdue = [
        p
        for p in left
        if p.left_behind
        and (
            p.left_behind.last_contact_date is None
            or (today - p.left_behind.last_contact_date).days > 7
        )
    ]
    assert 0.1 < len(overdue) / len(left) < 0.45
    assert any(p.left_behind and p.left_behind.carer_disqualified for p in left)


def test_allocate_splits_exactly() -> None:
    assert plan.allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(plan.allocate(50_000, [s.weight for s in plan_county(3).schools])) == 50_000
    assert plan.allocate(0, [5, 5]) == [0, 0]


def test_birth_for_age_gives_exactly_that_age() -> None:
    rng = random.Random(1)
    for as_of in (date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1), date(2026, 12, 31)):
        for age in range(0, 90, 3):
            for _ in range(20):
                birth = birth_for_age(rng, age, as_of)
                assert idnumber.age_on(birth, as_of) == age


def test_id_numbers_never_repeat_and_the_sex_digit_matches() -> None:
    ids = IdNumbers()
    day = date(2015, 6, 1)
    men = [ids.make("361025", day, "M") for _ in range(500)]
    women = [ids.make("361025", day, "F") for _ in range(499)]
    assert None not in men and None not in women
    assert len(set(men + women)) == 999
    assert ids.make("361025", day, "M") is None, "the day has run out of numbers for men"
    assert ids.make("361025", day + timedelta(days=1), "M") is not None
    for number in men[:50] + women[:50]:
        assert number is not None
        parsed = idnumber.parse(number)
        assert parsed.sex == ("M" if number in men else "F")


def test_grades() -> None:
    assert plan.grade_for(Kind.KINDERGARTEN, 3, 3) == "小班"
    assert plan.grade_for(Kind.SCHOOL_PRIMARY, 6, 6) == "一年级"
    assert plan.grade_for(Kind.SCHOOL_PRIMARY, 11, 6) == "六年级"
    assert plan.grade_for(Kind.SCHOOL_SECONDARY, 12, 12) == "七年级"
    assert plan.grade_for(Kind.SCHOOL_SECONDARY, 17, 15) == "高三"
    assert plan.grade_for(Kind.SCHOOL_VOCATIONAL, 15, 15) == "一年级"
    assert plan.grade_for(Kind.SCHOOL_SPECIAL, 17, 6) == "九年级"
