from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from weibao.lib import idnumber
from weibao.people.models import LeftBehindStatus, Person, adult_birth_cutoff
from weibao.people.tests.conftest import make_person


def test_minors_counts_full_years_like_age_on(county) -> None:
    on = date(2026, 5, 10)
    born_18_years_ago = make_person("甲", county.school_a, birth_date=date(2008, 5, 10))
    day_older = make_person("乙", county.school_a, birth_date=date(2008, 5, 9))
    # 周岁 count from the day after the birthday: still 17 on the 18th birthday.
    assert idnumber.age_on(born_18_years_ago.birth_date, on) == 17
    assert list(Person.objects.minors(on)) == [born_18_years_ago]
    assert idnumber.age_on(day_older.birth_date, on) == 18


def test_minors_on_29_february_does_not_fail(county) -> None:
    make_person("甲", county.school_a, birth_date=date(2010, 3, 1))
    make_person("乙", county.school_a, birth_date=date(2010, 2, 28))
    assert [p.name for p in Person.objects.minors(date(2028, 2, 29))] == ["甲"]


@settings(max_examples=300)
@given(
    on=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    back=st.integers(min_value=17 * 366 - 10, max_value=18 * 366 + 10),
)
def test_cutoff_agrees_with_age_on(on: date, back: int) -> None:
    birth = on - timedelta(days=back)
    assert (birth >= adult_birth_cutoff(on)) == idnumber.is_minor(birth, on)


def test_is_left_behind(liaison_a, pupil_a) -> None:
    assert not pupil_a.is_left_behind
    LeftBehindStatus.objects.create(child=pupil_a, parents_away="both")
    pupil_a = Person.objects.select_related("left_behind").get(pk=pupil_a.pk)
    assert pupil_a.is_left_behind
    assert pupil_a.left_behind.contact_overdue  # no contact recorded at all


def test_str_is_masked(pupil_a) -> None:
    assert str(pupil_a) == "张*"
    assert pupil_a.masked_id_number.startswith("361025")
    assert "*" in pupil_a.masked_id_number
