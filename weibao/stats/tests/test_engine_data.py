"""The engine on a small dataset: a stand-in measure (people by birth date and residence,
broken down by sex) declared as the crimes app's prosecutions, so that rates, the cache, the
denominators, suppression, trace and targets are tested against hand-computed values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from weibao.accounts.models import Division, User
from weibao.core import contract
from weibao.people.models import Person
from weibao.stats import definitions as defs
from weibao.stats import engine, services, tasks
from weibao.stats.models import Population, Stale
from weibao.stats.periods import StatPeriod
from weibao.testing import County

pytestmark = pytest.mark.django_db

BORN = Measure = contract.Measure(
    rows=lambda: Person.objects.all(), on="birth_date", where="division", breakdown="sex"
)
KEY = "crimes.minors_prosecuted"


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = contract.indicators

    def indicators() -> dict[str, contract.Indicator]:
        found = {k: v for k, v in real().items() if not k.startswith("crimes.")}
        found[KEY] = contract.Indicator(KEY, "born", "people", measure=BORN)
        return found

    monkeypatch.setattr(contract, "indicators", indicators)
    defs._all.cache_clear()
    tasks._sources.cache_clear()
    yield
    defs._all.cache_clear()
    tasks._sources.cache_clear()


@pytest.fixture
def born(county: County) -> Callable[..., Person]:
    def make(on: date, division: Division | None = None, sex: str = "F") -> Person:
        return Person.objects.create(
            name="甲",
            sex=sex,
            birth_date=on,
            division=division or county.village_a,
            registered_by=county.procuratorate,
        )

    return make


def test_rate_per_10k_against_hand_value(
    county: County, coordinator: User, born: Callable[..., Person]
) -> None:
    for day in (date(2015, 3, 1), date(2015, 3, 9), date(2015, 8, 1)):
        born(day)
    services.population_set(actor=coordinator, division=county.county, year=2015, minors=12_000)
    cell = engine.cell("stats.crime_rate", StatPeriod.year(2015), viewer=coordinator)
    assert (cell.numerator, cell.denominator, cell.value) == (3, 12_000, Decimal("2.5"))
    assert cell.denominator_source == Population.Source.ENTERED
    assert cell.computed_at is not None


def test_register_denominator_when_none_entered(
    county: County, coordinator: User, born: Callable[..., Person]
) -> None:
    born(date(2015, 3, 1))
    born(date(2000, 1, 1))  # an adult on 1 July 2020
    cell = engine.cell(
        "stats.crime_rate", StatPeriod.year(2020), division=county.township_a, viewer=coordinator
    )
    assert cell.denominator == 1
    assert cell.denominator_source == Population.Source.REGISTER


def test_the_denominator_is_chosen_per_definition(
    county: County, coordinator: User, born: Callable[..., Person]
) -> None:
    """The crime rate takes the population the county entered; the at-risk rate the register's
    minors always (its children are the register's); nobody not yet born on 1 July counts."""
    born(date(2015, 3, 1))
    born(date(2020, 8, 1))  # born after 1 July 2020
    services.population_set(actor=coordinator, division=county.township_a, year=2020, minors=4000)
    year = StatPeriod.year(2020)
    crime = engine.cell("stats.crime_rate", year, division=county.township_a, viewer=coordinator)
    assert (crime.denominator, crime.denominator_source) == (4000, Population.Source.ENTERED)
    files = engine.cell("stats.atrisk_rate", year, division=county.township_a, viewer=coordinator)
    assert (files.denominator, files.denominator_source) == (1, Population.Source.REGISTER)


def test_grouped_figures_equal_figure_cell_by_cell(
    county: County, coordinator: User, born: Callable[..., Person]
) -> None:
    born(date(2015, 3, 1))
    born(date(2015, 3, 9), county.village_b)
    born(date(2015, 11, 9), county.township_b)
    born(date(2015, 5, 2), county.county)  # in the county, in no township
    periods = [
        StatPeriod.year(2015),
        StatPeriod.half(2015, 1),
        StatPeriod.quarter(2015, 4),
        StatPeriod.month(2015, 3),
        StatPeriod.term(2015, 1),
        StatPeriod.to_date(date(2015, 6, 1)),
    ]
    county_cells = engine.cells([KEY], periods, level="county", viewer=coordinator)
    town_cells = engine.cells([KEY], periods, level="township", viewer=coordinator)
    for c in county_cells:
        assert c.numerator == contract.figure(KEY, division=None, period=c.period.as_period)
    for c in town_cells:
        town = Division.objects.get(code=c.division_code)
        assert c.numerator == contract.figure(KEY, division=town, period=c.period.as_period)
    assert county_cells[0].numerator == 4


def test_saving_a_source_row_makes_the_next_read_fresh(
    county: County,
    coordinator: User,
    born: Callable[..., Person],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    born(date(2015, 3, 1))
    year = StatPeriod.year(2015)
    assert engine.cell(KEY, year, viewer=coordinator).numerator == 1
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        born(date(2015, 4, 1))
    assert Stale.objects.filter(key=KEY).exists()
    assert engine.cell(KEY, year, viewer=coordinator).numerator == 2


def test_small_cells_suppressed_for_the_education_bureau(
    county: County, coordinator: User, edu_reader: User, born: Callable[..., Person]
) -> None:
    for _ in range(2):
        born(date(2015, 3, 1))
    for _ in range(30):
        born(date(2015, 3, 1), county.village_b)
    year = StatPeriod.year(2015)
    lead = engine.cells([KEY], [year], level="township", viewer=coordinator)
    assert [c.numerator for c in lead] == [2, 30]
    seen = engine.cells([KEY], [year], level="township", viewer=edu_reader)
    # township A is small; township B is suppressed too, or A = county − B
    assert all(c.suppressed and c.numerator is None for c in seen)
    assert engine.cell(KEY, year, viewer=edu_reader).numerator == 32
    # the rate whose numerator is suppressed is suppressed too
    rate = engine.cells(["stats.crime_rate"], [year], level="township", viewer=edu_reader)
    assert all(c.value is None for c in rate)


def test_township_unit_sees_its_own_township(
    county: County, township_worker: User, born: Callable[..., Person]
) -> None:
    found = engine.cells([KEY], [StatPeriod.year(2015)], level="township", viewer=township_worker)
    assert [c.division_code for c in found] == [county.township_a.code]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        engine.cell(KEY, StatPeriod.year(2015), division=county.township_b, viewer=township_worker)


def test_no_statistics_for_schools_sysadmin_auditor(
    county: County, liaison_a: User, sysadmin: User, auditor: User
) -> None:
    for viewer in (liaison_a, sysadmin, auditor):
        assert engine.cells([KEY], [StatPeriod.year(2015)], viewer=viewer) == []
        assert engine.trace(KEY, StatPeriod.year(2015), viewer=viewer) is None


def test_breakdown_and_trace(
    county: County, coordinator: User, police: User, born: Callable[..., Person]
) -> None:
    born(date(2015, 3, 1), sex="M")
    born(date(2015, 3, 2), sex="F")
    born(date(2015, 3, 3), sex="F")
    split = dict(engine.breakdown(KEY, StatPeriod.year(2015), viewer=coordinator))
    assert sorted(int(c.numerator or 0) for c in split.values()) == [1, 2]
    rows = engine.trace(KEY, StatPeriod.year(2015), viewer=coordinator)
    assert rows is not None and rows.count() == 3
    assert engine.trace(KEY, StatPeriod.year(2015), viewer=police) is None


def test_compare_small_base_and_chance(
    county: County, coordinator: User, born: Callable[..., Person]
) -> None:
    for _ in range(14):
        born(date(2014, 5, 1))
    for _ in range(4):
        born(date(2015, 5, 1))
    found = engine.compare(KEY, StatPeriod.year(2015), StatPeriod.year(2014), viewer=coordinator)
    assert found.change_percent == Decimal("-71.4")
    assert not found.base_too_small and found.within_chance is False
    back = engine.compare(KEY, StatPeriod.year(2014), StatPeriod.year(2015), viewer=coordinator)
    assert back.base_too_small and back.change_percent is None


def test_target_states(county: County, coordinator: User, born: Callable[..., Person]) -> None:
    born(date(2015, 5, 1))
    assert services.target_state(KEY, 2015) == services.NO_TARGET
    services.target_set(actor=coordinator, key=KEY, year=2015, comparison="zero")
    assert services.target_state(KEY, 2015) == services.NOT_MET
    services.target_set(
        actor=coordinator, key=KEY, year=2015, comparison="at_most", value=Decimal(1)
    )
    assert services.target_state(KEY, 2015) == services.MET
    services.target_set(actor=coordinator, key=KEY, year=2026, comparison="zero")
    assert services.target_state(KEY, 2026) == services.NOT_YET_KNOWN


def test_recompute_summary(county: County, coordinator: User) -> None:
    summary = engine.recompute([KEY], years=[2015])
    assert summary["definitions"] == 1 and summary["cells"] > 0


def _recoverable(cells: dict[tuple[str, str], Any]) -> list[tuple[str, str]]:
    """The hidden cells a viewer could work out from the published ones: a period that is the
    sum of others (a year of its halves, quarters or months; a half of its quarters or months;
    a quarter of its months; a term of its months), in one division, with exactly one of the
    parts or the whole hidden."""
    found = []
    periods = {c.period.key: c.period for c in cells.values()}
    codes = {code for _p, code in cells}
    for total in periods.values():
        by_kind: dict[str, list[str]] = {}
        for part in periods.values():
            if engine._sum_of(total, part):
                by_kind.setdefault(part.kind, []).append(part.key)
        for parts in by_kind.values():
            days = sum((periods[k].end - periods[k].start).days for k in parts)
            if days != (total.end - total.start).days:
                continue
            for code in codes:
                line = [(k, code) for k in [total.key, *parts]]
                hidden = [key for key in line if cells[key].suppressed]
                if len(hidden) == 1:
                    found.append(hidden[0])
    return found


def test_no_part_of_a_year_can_be_worked_out_from_the_rest(
    county: County, edu_reader: User, born: Callable[..., Person]
) -> None:
    """Months, quarters, halves and terms against their years and each other: whatever the
    viewer asks for, no suppressed cell is the difference of published ones."""
    spread = [(3, 1, "a"), (3, 30, "b"), (5, 2, "a"), (5, 9, "b"), (8, 7, "a"), (10, 3, "b")]
    for month, n, town in spread:
        for _ in range(n):
            born(date(2015, month, 10), getattr(county, f"village_{town}"))
    asked_sets = [
        [StatPeriod.quarter(2015, q) for q in (1, 2, 3, 4)],
        [StatPeriod.half(2015, 1), StatPeriod.year(2015)],
        [StatPeriod.term(2014, 2), StatPeriod.term(2015, 1)],
        [StatPeriod.month(2015, m) for m in range(1, 13)],
    ]
    seen: dict[tuple[str, str], Any] = {}
    for asked in asked_sets:
        for c in engine.cells([KEY], asked, level="township", viewer=edu_reader):
            key = (c.period.key, c.division_code)
            assert seen.setdefault(key, c).suppressed == c.suppressed, key  # one pattern
    for asked in asked_sets:
        for c in engine.cells([KEY], asked, level="county", viewer=edu_reader):
            seen[(c.period.key, c.division_code)] = c
    assert any(c.suppressed for c in seen.values())
    assert len({k for k, _code in seen}) >= 12 + 4 + 2 + 2  # months, quarters, halves, terms
    assert _recoverable(seen) == []


def test_the_school_level(
    monkeypatch: pytest.MonkeyPatch,
    county: County,
    coordinator: User,
    edu_reader: User,
    liaison_a: User,
) -> None:
    """Each school's count, from the rows that name their school; a count of children split by
    school for the lead agencies only, a share for every statistics viewer."""
    from weibao.schools.models import School

    by_school = contract.Measure(
        rows=lambda: Person.objects.all(),
        on="birth_date",
        where="division",
        school="school__school_record",
    )
    real = contract.indicators

    def indicators() -> dict[str, contract.Indicator]:
        found = dict(real())
        found[KEY] = contract.Indicator(KEY, "born", "people", measure=by_school)
        share = contract.Share(part=by_school, whole=by_school)
        found["crimes.gang_share"] = contract.Indicator(
            "crimes.gang_share", "share", "%", share=share
        )
        return found

    monkeypatch.setattr(contract, "indicators", indicators)
    defs._all.cache_clear()
    a = School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)
    b = School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    for school, n in ((county.school_a, 3), (county.school_b, 7), (None, 4)):
        for _ in range(n):
            Person.objects.create(
                name="乙",
                sex="M",
                birth_date=date(2015, 6, 1),
                division=county.village_a,
                school=school,
                registered_by=county.procuratorate,
            )
    year = StatPeriod.year(2015)
    found = engine.school_cells([KEY, "crimes.gang_share"], [year], viewer=coordinator)
    counts = {(c.key, c.school_id): (c.numerator, c.denominator, c.value) for c in found}
    assert counts[(KEY, a.pk)] == (3, None, 3)
    assert counts[(KEY, b.pk)] == (7, None, 7)
    assert counts[("crimes.gang_share", a.pk)] == (3, 3, Decimal("100.0"))
    # the education bureau sees the share by school, not the count of children
    seen = engine.school_cells([KEY, "crimes.gang_share"], [year], viewer=edu_reader)
    assert {c.key for c in seen} == {"crimes.gang_share"}
    assert engine.school_cells([KEY], [year], viewer=liaison_a) == []
    # a rate on the minors of a division has no school level
    assert not engine.has_school_level(defs.get("stats.crime_rate"))
