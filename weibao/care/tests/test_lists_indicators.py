"""The township's lists (overdue contacts, children not visited) and the indicators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from weibao.accounts.models import User
from weibao.care import services
from weibao.care.models import CareWarning, Difficulty, Visit
from weibao.care.weibao_app import APP
from weibao.core.contract import Period, figure
from weibao.people.models import LeftBehindStatus, Person
from weibao.testing import County

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)


def visit(child: Person, on: date, visitor: User) -> Visit:
    return Visit.objects.create(child=child, visited_on=on, visitor=visitor)


@pytest.fixture
def register(county: County, make_child: Callable[..., Person], civil: User) -> dict[str, Person]:
    """Township A: contacted 3 days ago (visited 10 days ago), contacted 8 days ago (visited
    31 days ago), never contacted, no longer left behind; township B: never contacted."""
    a = county.village_a
    children = {
        "recent": make_child(a, last_contact_date=date(2026, 9, 12)),
        "late": make_child(a, last_contact_date=date(2026, 9, 7)),
        "never": make_child(county.township_a),
        "gone": make_child(a, is_active=False),
        "b": make_child(county.village_b),
    }
    visit(children["recent"], date(2026, 9, 5), civil)
    visit(children["late"], date(2026, 8, 15), civil)
    visit(children["gone"], date(2026, 9, 1), civil)
    return children


def test_overdue_contacts_of_a_township(county: County, register: dict[str, Person]) -> None:
    found = [s.child for s in services.overdue_contacts(county.township_a)]
    assert found == [register["never"], register["late"]]  # never contacted first
    assert [s.child for s in services.overdue_contacts(county.township_b)] == [register["b"]]
    exactly_a_week = services.overdue_contacts(county.township_a, on=date(2026, 9, 14))
    assert [s.child for s in exactly_a_week] == [register["never"]]
    assert all(s.contact_overdue for s in services.overdue_contacts(county.township_a))


def test_children_not_visited(
    county: County, register: dict[str, Person], make_child: Callable[..., Person], civil: User
) -> None:
    in_difficulty = make_child(county.village_a, left_behind=False)
    Difficulty.objects.create(
        child=in_difficulty, category=Difficulty.Category.HARDSHIP, since=date(2026, 1, 1)
    )
    past = make_child(county.village_a, left_behind=False)
    Difficulty.objects.create(
        child=past,
        category=Difficulty.Category.HARDSHIP,
        since=date(2025, 1, 1),
        ended_on=date(2025, 6, 1),
    )
    found = set(services.not_visited(county.township_a))
    assert found == {register["late"], register["never"], in_difficulty}
    assert set(services.not_visited(county.township_a, days=5)) == found | {register["recent"]}
    assert set(services.not_visited(county.township_b)) == {register["b"]}


def test_not_visited_reads_the_setting(
    county: County, register: dict[str, Person], settings: object, civil: User
) -> None:
    settings.CARE_VISIT_DAYS = 45  # type: ignore[attr-defined]
    assert set(services.not_visited(county.township_a)) == {register["never"]}
    visit(register["never"], date(2026, 8, 1), civil)  # 45 days ago: still counts
    assert not services.not_visited(county.township_a).exists()


def test_left_behind_children(county: County, register: dict[str, Person]) -> None:
    assert figure("care.care_left_behind", division=None, period=YEAR) == 4
    assert figure("care.care_left_behind", division=county.township_a, period=YEAR) == 3
    assert figure("care.care_left_behind", division=county.village_a, period=YEAR) == 2
    assert figure("care.care_left_behind", division=county.township_b, period=YEAR) == 1


def test_visit_coverage(county: County, register: dict[str, Person]) -> None:
    assert figure("care.care_visit_coverage", division=county.township_a, period=YEAR) == Decimal(
        "66.7"
    )
    assert figure("care.care_visit_coverage", division=None, period=YEAR) == Decimal("50.0")
    september = Period(date(2026, 9, 1), date(2026, 10, 1))
    assert figure(
        "care.care_visit_coverage", division=county.township_a, period=september
    ) == Decimal("33.3")
    assert figure("care.care_visit_coverage", division=county.township_b, period=YEAR) == Decimal(0)
    assert figure("care.care_visit_coverage", division=None, period=Period.year(2020)) == Decimal(0)


def test_overdue_contacts_figure(county: County, register: dict[str, Person]) -> None:
    assert figure("care.care_overdue_contacts", division=None, period=YEAR) == 3
    assert figure("care.care_overdue_contacts", division=county.township_a, period=YEAR) == 2
    august = Period(date(2026, 8, 1), date(2026, 9, 1))  # as of 31 August: only "never" lacks
    assert figure("care.care_overdue_contacts", division=county.township_a, period=august) == 1


def test_children_in_difficulty_and_warnings(
    county: County, make_child: Callable[..., Person], child_a: Person, child_b: Person
) -> None:
    for category in (Difficulty.Category.HARDSHIP, Difficulty.Category.LACKING_CARE):
        Difficulty.objects.create(child=child_a, category=category, since=date(2026, 1, 1))
    Difficulty.objects.create(
        child=child_b,
        category=Difficulty.Category.HARDSHIP,
        since=date(2024, 1, 1),
        ended_on=date(2025, 3, 1),
    )
    assert figure("care.care_children_in_difficulty", division=None, period=YEAR) == 1
    assert figure("care.care_children_in_difficulty", division=None, period=Period.year(2025)) == 1
    assert figure("care.care_children_in_difficulty", division=None, period=Period.year(2024)) == 1
    assert figure("care.care_children_in_difficulty", division=county.township_b, period=YEAR) == 0
    CareWarning.objects.create(child=child_a, reason=CareWarning.Reason.CHILD_ALONE)
    CareWarning.objects.create(
        child=child_b,
        reason=CareWarning.Reason.CHILD_ALONE,
        raised_at=datetime(2025, 12, 31, 17, 0, tzinfo=UTC),  # 1 January 2026 in the county
    )
    assert figure("care.care_warnings", division=None, period=YEAR) == 2
    assert figure("care.care_warnings", division=county.township_a, period=YEAR) == 1
    assert figure("care.care_warnings", division=None, period=Period.year(2025)) == 0


def test_the_contract_offers_the_figures(county: County, register: dict[str, Person]) -> None:
    keys = {i.key: i for i in APP.indicators}
    assert set(keys) == {
        "care_left_behind",
        "care_visit_coverage",
        "care_overdue_contacts",
        "care_children_in_difficulty",
        "care_warnings",
    }
    assert keys["care_left_behind"].figure(division=None, period=YEAR) == 4
    assert LeftBehindStatus.objects.count() == 5
