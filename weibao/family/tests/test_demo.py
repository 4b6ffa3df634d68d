"""The demo part: the five teams with their leads, a children's home in most villages and the
other sites, volunteers registered in the people register and cleared by staff checks, two
years of activities with cleared helpers where children take part; the records pass the
services' own checks; idempotent and deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.demo.county import demo_county_seed
from weibao.drowning.services import county_box
from weibao.family import demo, services
from weibao.family.models import Activity, Helper, Site, Team, Training, Volunteer
from weibao.kit import crypto
from weibao.lib import idnumber
from weibao.people.models import Person
from weibao.schools.demo import seed as schools_seed
from weibao.staffchecks.models import CheckBatch, CheckItem

AS_OF = date(2026, 9, 15)
SCALE = 0.01


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:  # the demo runs on AS_OF (overrides the app's, if any)
    with time_machine.travel(AS_OF, tick=False):
        yield


@pytest.fixture
def _county(db: None) -> None:
    demo_county_seed(seed=2026, scale=SCALE, as_of=AS_OF, progress=lambda s: None)
    schools_seed(seed=2026, scale=SCALE, as_of=AS_OF, progress=lambda s: None)


def _seed(lines: list[str] | None = None, seed: int = 2026) -> None:
    sink: list[str] = [] if lines is None else lines
    demo.seed(seed=seed, scale=SCALE, as_of=AS_OF, progress=sink.append)


def _counts() -> tuple[int, ...]:
    models = (Team, Site, Volunteer, Training, Activity, Helper, Person, CheckItem, AuditEvent)
    return tuple(m.objects.count() for m in models)


def test_no_county_no_records(db: None) -> None:
    _seed()
    assert not Team.objects.exists() and not Site.objects.exists()


def test_teams_and_sites(_county: None, english: None) -> None:
    lines: list[str] = []
    _seed(lines)
    assert [line.split(":")[0] for line in lines] == [
        "family-education sites",
        "volunteers and lecturers",
        "family activities",
    ]
    teams = {t.kind: t for t in Team.objects.select_related("lead")}
    assert set(teams) == set(Team.Kind.values)
    assert teams[Team.Kind.LECTURERS].name == "家庭教育讲师团"
    assert teams[Team.Kind.LECTURERS].lead == User.objects.get(username="womens_fed")
    assert teams[Team.Kind.LAW_EDUCATION].lead == User.objects.get(username="coordinator")

    villages = Division.objects.filter(level=Division.Level.VILLAGE)
    homes = Site.objects.filter(kind=Site.Kind.CHILDRENS_HOME)
    assert homes.values("village").distinct().count() == homes.count()  # one per village
    assert 0.75 * villages.count() <= homes.count() <= 0.95 * villages.count()
    assert Site.objects.filter(kind=Site.Kind.WOMEN_CHILDREN_CENTRE).count() == 1
    assert Site.objects.filter(kind=Site.Kind.PARENT_SCHOOL).exists()
    assert Site.objects.filter(kind=Site.Kind.GUIDANCE_STATION).exists()
    box = county_box()
    sites = list(Site.objects.select_related("village"))
    assert all(s.village.level == Division.Level.VILLAGE for s in sites)
    for site in sites:
        assert site.latitude is not None and site.longitude is not None
        assert box.contains(site.latitude, site.longitude)
    assert all(s.created_at.date() < AS_OF for s in sites)
    assert services.villages_without_site().count() < 0.3 * villages.count()


def test_volunteers_registered_and_cleared_by_staff_checks(_county: None) -> None:
    _seed()
    volunteers = list(Volunteer.objects.select_related("person", "team", "township"))
    assert len(volunteers) == demo.MIN_VOLUNTEERS
    assert {v.team.kind for v in volunteers} == set(Team.Kind.values)
    hashes = set()
    for volunteer in volunteers:
        person = volunteer.person
        parsed = idnumber.parse(person.id_number, today=AS_OF)
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
        assert idnumber.age_on(person.birth_date, AS_OF) >= 18
        assert person.id_number_hash == crypto.blind_index(parsed.number)
        assert Person.objects.by_id_hash(crypto.blind_index(parsed.number)).get() == person
        assert person.division is not None and person.name_pinyin
        assert volunteer.township == person.division.parent
        assert volunteer.joined_on < AS_OF
        hashes.add(person.id_number_hash)
    assert len(hashes) == len(volunteers)

    # The clearance is what staff checks says (reading it again changes nothing)...
    assert services.clearance_refresh_all()["changed"] == 0
    checked = set(CheckItem.objects.filter(id_hash__in=hashes).values_list("id_hash", flat=True))
    for volunteer in volunteers:
        if volunteer.person.id_number_hash not in checked:
            assert volunteer.clearance == Volunteer.Clearance.NONE
    assert CheckBatch.objects.filter(unit__kind="civil_affairs").count() >= 2
    # ...most are cleared now; some checks have lapsed, some are not done yet.
    cleared = [v for v in volunteers if v.is_cleared]
    assert 0.7 * len(volunteers) <= len(cleared) <= 0.95 * len(volunteers)
    lapsed = [v for v in volunteers if v.clearance == "clear" and not v.is_cleared]
    assert lapsed
    assert Training.objects.filter(held_on__gte=AS_OF).count() == 0
    assert Training.objects.exists()


def test_activities_with_cleared_helpers(_county: None) -> None:
    _seed()
    activities = list(
        Activity.objects.select_related("site", "school__organisation", "team").prefetch_related(
            "helper_rows__volunteer__team"
        )
    )
    assert len(activities) == demo.MIN_ACTIVITIES
    assert {a.kind for a in activities} == set(Activity.Kind.values)
    assert any(a.site_id for a in activities) and any(a.school_id for a in activities)
    helped = 0
    for activity in activities:
        assert AS_OF - timedelta(days=731) <= activity.held_on < AS_OF
        if activity.site is not None:
            assert activity.school is None and activity.village_id == activity.site.village_id
            assert activity.site.status != Site.Status.CLOSED
        else:
            assert activity.school is not None
            assert activity.village_id == activity.school.organisation.division_id
        for helper in activity.helper_rows.all():
            helped += 1
            volunteer = helper.volunteer
            assert volunteer.joined_on <= activity.held_on
            assert volunteer.status == Volunteer.Status.ACTIVE
            if activity.with_children:
                assert volunteer.is_cleared, (activity, volunteer)
            if helper.role == Helper.Role.LECTURER:
                assert volunteer.team.kind == Team.Kind.LECTURERS
            else:
                assert volunteer.team_id == activity.team_id
    assert helped >= len(activities)
    # Children's activities with helpers are there (the clearance rule is shown at work).
    assert any(a.with_children and a.helper_rows.all() for a in activities)


def test_records_pass_the_services_checks(_county: None) -> None:
    _seed()
    clerk = User.objects.get(username="civil_affairs")
    for site in Site.objects.order_by("pk")[:10]:
        services.site_update(actor=clerk, site=site, data={})
    with_children = [
        a
        for a in Activity.objects.order_by("pk").prefetch_related("helper_rows__volunteer")
        if a.with_children and a.helper_rows.all()
    ][:10]
    assert with_children
    for activity in with_children:
        rows = list(activity.helper_rows.all())
        services.activity_update(
            actor=clerk,
            activity=activity,
            data={
                "lecturers": [h.volunteer for h in rows if h.role == Helper.Role.LECTURER],
                "volunteers": [h.volunteer for h in rows if h.role == Helper.Role.VOLUNTEER],
            },
        )


def test_idempotent_and_one_audit_event(_county: None, english: None) -> None:
    _seed()
    events = AuditEvent.objects.filter(
        actor_username="seed_demo", target_repr="Demo records of the family protection network"
    )
    assert events.count() == 1
    before = _counts()
    _seed()
    assert _counts() == before


def test_same_seed_same_network(_county: None) -> None:
    def snapshot() -> tuple[list[str], list[str], list[str]]:
        return (
            list(Site.objects.order_by("village__code", "name").values_list("name", flat=True)),
            sorted(Volunteer.objects.values_list("person__id_number_hash", flat=True)),
            list(Activity.objects.order_by("held_on", "title").values_list("title", flat=True)),
        )

    _seed()
    first = snapshot()
    Helper.objects.all().delete()
    Activity.objects.all().delete()
    Training.objects.all().delete()
    registered = list(Volunteer.objects.values_list("person", flat=True))
    Volunteer.objects.all().delete()
    Person.objects.filter(pk__in=registered).delete()
    Team.objects.all().delete()
    Site.objects.all().delete()
    CheckBatch.objects.filter(unit__kind="civil_affairs").delete()
    _seed()
    assert snapshot() == first
