"""The demo part: a few hundred venues around the schools, a handful of internet cafés inside
200 m, the county's tobacco rule, a campaign's inspections with orders in every state, repeat
offenders and a concern; idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from weibao.accounts.models import User
from weibao.demo.county import demo_county_seed
from weibao.drowning.services import county_box
from weibao.schools.demo import seed as schools_seed
from weibao.venues import demo
from weibao.venues.models import (
    Concern,
    DistanceRule,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    Venue,
    Violation,
)

AS_OF = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # overrides the app's: the demo runs on AS_OF
    with time_machine.travel(AS_OF, tick=False):
        yield


@pytest.fixture
def demo_county(db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    schools_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)


def _seed(lines: list[str] | None = None, scale: float = 1) -> None:
    sink: list[str] = [] if lines is None else lines
    demo.seed(seed=2026, scale=scale, as_of=AS_OF, progress=sink.append)


def test_no_schools_no_records(db: None) -> None:
    _seed()
    assert not Venue.objects.exists()


def test_seed(demo_county: None) -> None:
    lines: list[str] = []
    _seed(lines)
    assert lines and "venues near schools" in lines[0]
    venues = list(Venue.objects.all())
    assert len(venues) == demo.VENUES
    box = county_box()
    assert all(box.contains(v.latitude, v.longitude) for v in venues)
    assert {v.kind for v in venues} == set(Venue.Kind.values)
    # A handful of internet cafés inside the national 200 m, no more.
    cafes = Violation.objects.open().filter(venue__kind="V01").values("venue").distinct()
    assert 1 <= cafes.count() <= demo.CAFES_INSIDE
    assert DistanceRule.objects.in_force().filter(kind="V07", metres=50).exists()
    # The campaign: its inspections, orders in every state.
    plan = InspectionPlan.objects.get()
    assert plan.due_on < AS_OF
    assert Inspection.objects.filter(plan=plan).count() >= 12
    assert not Inspection.objects.filter(inspected_at__gte=timezone.now()).exists()
    orders = RectificationOrder.objects.all()
    states = set(orders.values_list("state", flat=True))
    assert states == {"open", "rectified", "not_rectified"}
    assert orders.overdue(AS_OF).filter(escalated_on__isnull=False).exists()
    assert orders.open().filter(deadline__gte=AS_OF).exists()
    rectified = [o for o in orders.filter(state="rectified")]
    assert {o.on_time for o in rectified} == {True, False}
    assert Venue.objects.filter(flagged_on__isnull=False).exists()
    assert Concern.objects.exists()
    # The demo's users see their parts.
    culture = User.objects.get(username="culture")
    market = User.objects.get(username="market")
    assert set(Venue.objects.for_user(culture).values_list("kind", flat=True)) <= {
        "V01",
        "V02",
        "V03",
        "V05",
        "V12",
    }
    assert Venue.objects.for_user(market).filter(kind="V10").exists()
    liaison = User.objects.get(username="liaison_a")
    assert Venue.objects.for_user(liaison).count() < len(venues)


def test_running_twice_changes_nothing(demo_county: None) -> None:
    _seed(scale=0.2)
    counts = (Venue.objects.count(), Inspection.objects.count(), Violation.objects.count())
    _seed(scale=0.2)
    assert counts == (Venue.objects.count(), Inspection.objects.count(), Violation.objects.count())
