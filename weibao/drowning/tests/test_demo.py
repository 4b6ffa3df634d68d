"""The demo part: waters inside the county over its villages, custodians for most high-risk
waters, a summer of patrols with rectifications (closed and overdue), incidents that fall year
by year with a review for each death, the township map; seen by the demo users; idempotent."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from weibao.accounts.models import Division, User
from weibao.demo.county import demo_county_seed
from weibao.drowning import demo, services
from weibao.drowning.models import (
    Custodian,
    DeathReview,
    HazardousWater,
    Incident,
    Patrol,
    Rectification,
    TownshipMap,
)
from weibao.drowning.services import county_box
from weibao.drowning.tests.conftest import NOW
from weibao.schools.demo import seed as schools_seed

AS_OF = date(2026, 9, 20)
VILLAGE = Division.Level.VILLAGE


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # overrides the app's: the demo runs on AS_OF
    with time_machine.travel(date(2026, 9, 20), tick=False):
        yield


@pytest.fixture
def demo_county(db: None) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_county_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)
    schools_seed(seed=2026, scale=0.01, as_of=AS_OF, progress=lambda s: None)


def _seed(lines: list[str] | None = None, scale: float = 0.01) -> None:
    sink: list[str] = [] if lines is None else lines
    demo.seed(seed=2026, scale=scale, as_of=AS_OF, progress=sink.append)


def test_no_villages_no_records(db: None) -> None:
    _seed()
    assert not HazardousWater.objects.exists()


def test_summer_of() -> None:
    assert demo.summer_of(date(2026, 9, 20)) == (date(2026, 7, 1), date(2026, 8, 31))
    assert demo.summer_of(date(2026, 7, 20)) == (date(2026, 7, 1), date(2026, 7, 19))
    assert demo.summer_of(date(2026, 5, 1)) == (date(2025, 7, 1), date(2025, 8, 31))
    assert NOW.year == 2026


def test_seed(demo_county: None) -> None:
    townships = Division.objects.filter(level=Division.Level.TOWNSHIP).count()
    lines: list[str] = []
    started = time.monotonic()
    _seed(lines, scale=1)  # the demo's full number of waters (on the small county)
    assert time.monotonic() - started < 10
    assert lines and "hazardous waters" in lines[0]
    waters = list(HazardousWater.objects.select_related("village"))
    assert len(waters) == demo.WATERS
    box = county_box()
    assert all(box.contains(w.latitude, w.longitude) for w in waters)
    villages = {w.village_id for w in waters}
    assert len(villages) == min(len(waters), Division.objects.filter(level=VILLAGE).count())
    assert len({w.village.code[:9] for w in waters}) == townships
    assert all(w.nearest_school_id for w in waters)
    # Custodians for most high-risk waters.
    high = [w for w in waters if w.risk == HazardousWater.Risk.HIGH]
    guarded = HazardousWater.objects.filter(risk="high", custodians__isnull=False).distinct()
    assert high and guarded.count() >= 0.6 * len(high)
    assert Custodian.objects.exists()
    # A summer of patrols, none after as_of, with gaps opening rectifications.
    patrols = Patrol.objects.all()
    assert patrols.filter(patrolled_at__month__in=(7, 8)).count() > 10 * len(high)
    assert not patrols.filter(patrolled_at__gte=timezone.now()).exists()
    items = Rectification.objects.all()
    assert items.filter(closed_at__isnull=False).exists()
    assert items.overdue(AS_OF).exists()
    assert all(r.patrol_id or r.sign_inspection_id for r in items)
    # Each open item shows on its water.
    for item in items.open().select_related("water"):
        assert getattr(item.water, f"{item.item}_state") == item.state
    # Incidents from 2017, the yearly count falling, deaths reviewed.
    by_year = Counter(i.occurred_at.year for i in Incident.objects.all())
    years = sorted(by_year)
    assert years[0] == 2017 and years[-1] <= AS_OF.year
    counts = [by_year[y] for y in range(2017, AS_OF.year)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    deaths = Incident.objects.deaths()
    assert deaths.exists()
    assert DeathReview.objects.count() == deaths.count()
    assert not Incident.objects.filter(occurred_at__gte=timezone.now()).exists()
    # The township map: one polygon per township, named.
    stored = TownshipMap.objects.get()
    collection = services.parse_township_map(stored.geojson.encode())  # valid as an upload
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == townships
    assert all(f["properties"]["name"] for f in collection["features"])
    # The demo's water-resources clerk sees every water; the township worker its own.
    water = User.objects.get(username="water")
    township = User.objects.get(username="township")
    assert HazardousWater.objects.for_user(water).count() == len(waters)
    own = HazardousWater.objects.for_user(township)
    assert 0 < own.count() < len(waters)
    assert Rectification.objects.for_user(township).exists()
    assert Incident.objects.for_user(water).count() == Incident.objects.count()


def test_running_twice_changes_nothing(demo_county: None) -> None:
    _seed()
    counts = (HazardousWater.objects.count(), Patrol.objects.count(), Incident.objects.count())
    names = list(HazardousWater.objects.order_by("pk").values_list("name", "latitude"))
    _seed()
    assert counts == (
        HazardousWater.objects.count(),
        Patrol.objects.count(),
        Incident.objects.count(),
    )
    assert TownshipMap.objects.count() == 1
    assert names == list(HazardousWater.objects.order_by("pk").values_list("name", "latitude"))


def test_letters_and_assignments(demo_county: None) -> None:
    from weibao.drowning.models import Assignment, Contact, LetterReceipt, ParentLetter
    from weibao.drowning.services.assignments import silent_assignees, to_be_assigned
    from weibao.people.models import Person

    lines: list[str] = []
    _seed(lines)
    assert any("letters to parents" in line for line in lines)
    letters = ParentLetter.objects.all()
    assert letters.exists() and all(x.year == 2026 and x.season == "summer" for x in letters)
    # Partial receipts: some back, not all.
    rows, _townships = services.coverage(letters)
    pupils = sum(r.pupils for r in rows)
    receipts = LetterReceipt.objects.count()
    assert pupils and 0 < receipts < pupils
    # Most children to be assigned are, some have nobody; some assignees are silent.
    due = to_be_assigned(Person.objects.all(), date(2026, 7, 1))
    assigned = Assignment.objects.filter(year=2026, season="summer")
    assert 0.6 * due.count() < assigned.count() < due.count()
    assert Contact.objects.exists()
    assert silent_assignees(assigned, date(2026, 9, 19)).exists()
    assert not Contact.objects.filter(contacted_on__gte=AS_OF).exists()
    # The demo's school liaison sees the school's letter and assignments.
    liaison = User.objects.get(username="liaison_a")
    assert ParentLetter.objects.for_user(liaison).exists()
    # Running again adds nothing.
    counts = (letters.count(), receipts, assigned.count(), Contact.objects.count())
    _seed()
    assert counts == (
        ParentLetter.objects.count(),
        LetterReceipt.objects.count(),
        Assignment.objects.count(),
        Contact.objects.count(),
    )


def test_sign_inspections(demo_county: None) -> None:
    from weibao.drowning.models import Catchment, SignInspection, SignInspectionItem
    from weibao.schools.models import School

    lines: list[str] = []
    _seed(lines)
    assert any("sign inspections" in line for line in lines)
    done = SignInspection.objects.all()
    near = School.objects.filter(pk__in=Catchment.objects.values("school_id")).count()
    # Some schools with waters near them inspected this summer, not all; each is reported.
    assert 0 < done.count() < near or near == done.count() == 1
    assert all(x.year == 2026 and x.season == "summer" and x.submitted_at for x in done)
    assert all(x.inspected_on < AS_OF for x in done)
    # Each inspection covers its whole catchment; a few gaps opened rectifications.
    for inspection in done:
        expected = Catchment.objects.filter(school=inspection.school).count()
        assert SignInspectionItem.objects.filter(inspection=inspection).count() == expected
    assert Rectification.objects.filter(sign_inspection__isnull=False).exists()
    counts = (done.count(), SignInspectionItem.objects.count(), Rectification.objects.count())
    _seed()
    assert counts == (
        SignInspection.objects.count(),
        SignInspectionItem.objects.count(),
        Rectification.objects.count(),
    )
