"""The family API: sites, volunteers and activities scoped like the pages; writes through the
services (their checks answer 400, in Chinese for a Chinese client); the wrong users refused;
volunteers' names masked and their ID numbers never sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weibao.accounts.models import Organisation, Role, User
from weibao.audit.models import AuditEvent
from weibao.family import services
from weibao.family.models import Activity, Helper, Site, Team, Volunteer
from weibao.kit import crypto
from weibao.schools.models import School
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import CheckBatch, CheckItem
from weibao.testing import County, id_for, make_user

_NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in the county
_seq = count(300)
SITES = "/api/v1/family/sites/"
VOLUNTEERS = "/api/v1/family/volunteers/"
ACTIVITIES = "/api/v1/family/activities/"


@pytest.fixture(autouse=True)
def _api_frozen() -> Iterator[None]:
    with time_machine.travel(_NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _api_english(english: None) -> None:
    """Messages asserted on are the English message ids (unless a test asks in Chinese)."""


@pytest.fixture
def _civil(county: County) -> User:
    unit = Organisation.objects.create(
        name="乐安县民政局", kind=Organisation.Kind.CIVIL_AFFAIRS, division=county.county
    )
    return make_user("api_civil", unit, Role.CASE_WORKER)


@pytest.fixture
def _civil_reader(_civil: User) -> User:
    return make_user("api_civil_reader", _civil.organisation, Role.READ_ONLY)


@pytest.fixture
def _lead(county: County) -> User:
    unit = Organisation.objects.create(
        name="乐安县阳光社工服务中心", kind=Organisation.Kind.SOCIAL_WORK, division=county.county
    )
    return make_user("api_lead", unit, Role.CASE_WORKER)


@pytest.fixture
def _team(_lead: User) -> Team:
    return Team.objects.create(kind=Team.Kind.LAW_EDUCATION, name="法治宣教志愿者队", lead=_lead)


@pytest.fixture
def _other_team() -> Team:
    return Team.objects.create(kind=Team.Kind.MEDIA, name="宣传志愿者队")


@pytest.fixture
def _site(county: County, _civil: User) -> Site:
    return services.site_create(
        actor=_civil,
        data={
            "kind": Site.Kind.CHILDRENS_HOME,
            "name": "鳌溪村儿童之家",
            "village": county.village_a,
            "latitude": "27.430000",
            "longitude": "115.830000",
        },
    )


@pytest.fixture
def _school(county: County) -> School:
    return School.objects.create(organisation=county.school_a, kind=School.Kind.PRIMARY)


def _clear(volunteer: Volunteer, unit: Organisation) -> None:
    """A clear staff-checks result for the volunteer's person, ten days ago."""
    when = timezone.now() - timedelta(days=10)
    batch = CheckBatch.objects.create(
        unit=unit,
        kind=CheckBatch.Kind.NEW_HIRE,
        year=when.year,
        status=CheckBatch.Status.DONE,
        consent_confirmed=True,
        created_at=when,
        completed_at=when,
    )
    person = volunteer.person
    CheckItem.objects.create(
        batch=batch,
        id_hash=person.id_number_hash,
        name_key=normalise_name(person.name),
        birth_date=person.birth_date,
        name_encrypted=crypto.encrypt(person.name),
        id_number_encrypted=person.id_number_encrypted,
        result=CheckItem.Result.CLEAR,
        checked_at=when,
    )
    services.clearance_refresh([volunteer])


@pytest.fixture
def _make_volunteer(county: County, _civil: User, _team: Team) -> Callable[..., Volunteer]:
    def make(name: str, *, team: Team | None = None, cleared: bool = True) -> Volunteer:
        volunteer = services.volunteer_create(
            actor=_civil,
            data={
                "name": name,
                "id_number": id_for(date(1988, 4, 2), next(_seq)),
                "team": team or _team,
                "township": county.township_a,
            },
        )
        if cleared:
            _clear(volunteer, _civil.organisation)
        return volunteer

    return make


def _post(client: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, body, content_type="application/json", **extra)


def _chinese(text: str) -> bool:
    """Written in Chinese: some Han characters, no run of English words."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text) and "field" not in text.lower()


def _activity(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": Activity.Kind.SELF_PROTECTION,
        "title": "防溺水安全课",
        "held_on": "2026-09-12",
        "topic": "a16_5_drowning",
        "method": "a17_3",
        "audience_children": 30,
        "audience_parents": 5,
        "hours": "1.5",
    }
    body.update(extra)
    return body


# Sites -----------------------------------------------------------------------------------------


def test_sites_list_retrieve_create_and_change(
    client_for: Callable[[User], Client], county: County, _civil: User, _site: Site
) -> None:
    client = client_for(_civil)
    rows = client.get(SITES).json()["results"]
    assert [(r["id"], r["name"], r["township_name"]) for r in rows] == [
        (_site.pk, "鳌溪村儿童之家", "鳌溪镇")
    ]
    detail = client.get(f"{SITES}{_site.pk}/").json()
    assert detail["kind"] == "childrens_home" and detail["latitude"] == "27.430000"

    body = {"kind": "parent_school", "name": "公溪村家长学校", "village": county.village_b.pk}
    response = _post(client, SITES, body)
    assert response.status_code == 201, response.content
    created = Site.objects.get(name="公溪村家长学校")
    assert response.json()["id"] == created.pk and created.created_by == _civil
    assert AuditEvent.objects.filter(
        detail__operation="family_site_create", target_id=created.pk
    ).exists()

    response = client.patch(
        f"{SITES}{created.pk}/",
        {"status": "suspended", "opening_hours": "周六 9:00-12:00"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    created.refresh_from_db()
    assert (created.status, created.opening_hours) == ("suspended", "周六 9:00-12:00")
    assert response.json()["status"] == "suspended"
    assert AuditEvent.objects.filter(detail__operation="family_site_update").count() == 1
    assert (
        client.put(f"{SITES}{created.pk}/", body, content_type="application/json").status_code
        == 405
    )


def test_site_errors_answer_400_by_field(
    client_for: Callable[[User], Client], county: County, _civil: User, _site: Site
) -> None:
    client = client_for(_civil)
    twin = {"kind": "childrens_home", "name": "鳌溪村儿童之家", "village": county.village_a.pk}
    response = _post(client, SITES, twin)
    assert response.status_code == 400
    assert "already has a site of this kind" in response.json()["name"][0]
    township = {"kind": "childrens_home", "name": "某地", "village": county.township_a.pk}
    assert "village" in _post(client, SITES, township).json()
    half = {**twin, "name": "新儿童之家", "latitude": "27.5"}
    response = _post(client, SITES, half)
    assert response.status_code == 400 and "latitude" in response.json()
    response = client.patch(f"{SITES}{_site.pk}/", {"name": "  "}, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()
    _site.refresh_from_db()
    assert _site.name == "鳌溪村儿童之家"
    assert Site.objects.count() == 1


def test_site_errors_in_chinese_for_a_chinese_client(
    client_for: Callable[[User], Client], county: County, _civil: User
) -> None:
    response = _post(client_for(_civil), SITES, {"name": "某地"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"kind", "village"}
    assert _chinese(errors["kind"][0]) and _chinese(errors["village"][0])
    response = _post(
        client_for(_civil),
        SITES,
        {"name": "某地", "kind": "castle", "village": county.village_a.pk},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400 and _chinese(response.json()["kind"][0])


def test_sites_refused_to_the_wrong_users(
    client_for: Callable[[User], Client],
    county: County,
    _site: Site,
    _civil_reader: User,
    _lead: User,
    _team: Team,
    liaison_a: User,
    outsider: User,
    police: User,
) -> None:
    body = {"kind": "childrens_home", "name": "另一个儿童之家", "village": county.village_b.pk}
    for user in (liaison_a, outsider, police):
        client = client_for(user)
        assert client.get(SITES).status_code == 403
        assert client.get(f"{SITES}{_site.pk}/").status_code in (403, 404)
        assert _post(client, SITES, body).status_code == 403
    # A reader of civil affairs, and a team lead, read the sites but keep none.
    for user in (_civil_reader, _lead):
        client = client_for(user)
        assert [r["id"] for r in client.get(SITES).json()["results"]] == [_site.pk]
        assert _post(client, SITES, body).status_code == 403
        patch = client.patch(
            f"{SITES}{_site.pk}/", {"status": "closed"}, content_type="application/json"
        )
        assert patch.status_code == 403
    assert Site.objects.count() == 1
    _site.refresh_from_db()
    assert _site.status == Site.Status.OPEN


# Volunteers ------------------------------------------------------------------------------------


def test_volunteers_masked_and_scoped(
    client_for: Callable[[User], Client],
    _civil: User,
    _lead: User,
    _other_team: Team,
    _make_volunteer: Callable[..., Volunteer],
    liaison_a: User,
    outsider: User,
) -> None:
    mine = _make_volunteer("张伟")
    theirs = _make_volunteer("王芳", team=_other_team, cleared=False)
    response = client_for(_civil).get(VOLUNTEERS)
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["results"]}
    assert set(rows) == {mine.pk, theirs.pk}
    assert rows[mine.pk]["name"] == "张*" and rows[mine.pk]["cleared"] is True
    assert rows[mine.pk]["clearance"] == "clear" and rows[theirs.pk]["clearance"] == "none"
    body = response.content.decode()
    for volunteer in (mine, theirs):
        assert volunteer.person.id_number not in body
        assert volunteer.person.name not in body
    assert "id_number" not in rows[mine.pk]

    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()
    detail = client_for(_civil).get(f"{VOLUNTEERS}{mine.pk}/")
    assert detail.status_code == 200 and detail.json()["team_name"] == "法治宣教志愿者队"
    assert mine.person.id_number not in detail.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == before + 1

    # A team lead reads their own team's volunteers only.
    lead = client_for(_lead)
    assert [r["id"] for r in lead.get(VOLUNTEERS).json()["results"]] == [mine.pk]
    assert lead.get(f"{VOLUNTEERS}{theirs.pk}/").status_code == 404
    for user in (liaison_a, outsider):
        assert client_for(user).get(VOLUNTEERS).status_code == 403
        assert client_for(user).get(f"{VOLUNTEERS}{mine.pk}/").status_code in (403, 404)
    # Read only: no writes through the API.
    assert _post(client_for(_civil), VOLUNTEERS, {"name": "李娜"}).status_code == 405


# Activities ------------------------------------------------------------------------------------


def test_record_an_activity_with_helpers(
    client_for: Callable[[User], Client],
    _civil: User,
    _site: Site,
    _team: Team,
    _make_volunteer: Callable[..., Volunteer],
) -> None:
    lecturer = _make_volunteer("张伟")
    helper = _make_volunteer("王芳")
    client = client_for(_civil)
    body = _activity(site=_site.pk, team=_team.pk, lecturers=[lecturer.pk], volunteers=[helper.pk])
    response = _post(client, ACTIVITIES, body)
    assert response.status_code == 201, response.content
    activity = Activity.objects.get()
    data = response.json()
    assert data["id"] == activity.pk and data["village"] == _site.village_id
    assert data["place"] == "鳌溪村儿童之家" and data["team_name"] == "法治宣教志愿者队"
    assert {(h["volunteer"], h["role"], h["name"]) for h in data["helpers"]} == {
        (lecturer.pk, "lecturer", "张*"),
        (helper.pk, "volunteer", "王*"),
    }
    assert "lecturers" not in data and activity.recorded_by == _civil
    assert set(Helper.objects.values_list("volunteer", "role")) == {
        (lecturer.pk, "lecturer"),
        (helper.pk, "volunteer"),
    }
    rows = client.get(ACTIVITIES).json()["results"]
    assert [r["id"] for r in rows] == [activity.pk] and len(rows[0]["helpers"]) == 2
    detail = client.get(f"{ACTIVITIES}{activity.pk}/").json()
    assert detail["title"] == "防溺水安全课" and detail["hours"] == "1.5"


def test_activity_at_a_school_read_by_the_school(
    client_for: Callable[[User], Client],
    _civil: User,
    _school: School,
    liaison_a: User,
    liaison_b: User,
) -> None:
    response = _post(client_for(_civil), ACTIVITIES, _activity(school=_school.pk))
    assert response.status_code == 201, response.content
    activity = Activity.objects.get()
    assert [r["id"] for r in client_for(liaison_a).get(ACTIVITIES).json()["results"]] == [
        activity.pk
    ]
    assert client_for(liaison_a).get(f"{ACTIVITIES}{activity.pk}/").status_code == 200
    assert client_for(liaison_b).get(ACTIVITIES).json()["results"] == []
    assert client_for(liaison_b).get(f"{ACTIVITIES}{activity.pk}/").status_code == 404
    # A school reads its activities but records none.
    response = _post(client_for(liaison_a), ACTIVITIES, _activity(school=_school.pk))
    assert response.status_code == 403
    assert Activity.objects.count() == 1


def test_activity_errors_answer_400(
    client_for: Callable[[User], Client],
    _civil: User,
    _site: Site,
    _school: School,
    _make_volunteer: Callable[..., Volunteer],
) -> None:
    client = client_for(_civil)
    unchecked = _make_volunteer("李娜", cleared=False)
    response = _post(client, ACTIVITIES, _activity(site=_site.pk, volunteers=[unchecked.pk]))
    assert response.status_code == 400
    assert "no clear criminal-record check" in response.json()["volunteers"][0]
    response = _post(client, ACTIVITIES, _activity(site=_site.pk, held_on="2026-09-20"))
    assert response.status_code == 400 and "future" in response.json()["held_on"][0]
    response = _post(client, ACTIVITIES, _activity())
    assert response.status_code == 400 and "site" in response.json()
    response = _post(client, ACTIVITIES, _activity(site=_site.pk, school=_school.pk))
    assert response.status_code == 400 and "school" in response.json()
    response = _post(client, ACTIVITIES, _activity(site=_site.pk, hours="30"))
    assert response.status_code == 400 and "hours" in response.json()
    response = _post(
        client,
        ACTIVITIES,
        _activity(site=_site.pk, topic="astrology"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400 and _chinese(response.json()["topic"][0])
    assert Activity.objects.count() == 0


def test_team_lead_records_for_their_team_only(
    client_for: Callable[[User], Client],
    _lead: User,
    _site: Site,
    _team: Team,
    _other_team: Team,
    _make_volunteer: Callable[..., Volunteer],
) -> None:
    outsider_volunteer = _make_volunteer("刘洋", team=_other_team)
    client = client_for(_lead)
    response = _post(client, ACTIVITIES, _activity(site=_site.pk, team=_other_team.pk))
    assert response.status_code == 400 and "team" in response.json()
    # A volunteer of a team the lead does not lead is not theirs to name.
    response = _post(
        client,
        ACTIVITIES,
        _activity(site=_site.pk, team=_team.pk, volunteers=[outsider_volunteer.pk]),
    )
    assert response.status_code == 400 and "volunteers" in response.json()
    assert Activity.objects.count() == 0
    response = _post(client, ACTIVITIES, _activity(site=_site.pk, team=_team.pk))
    assert response.status_code == 201, response.content
    assert [r["id"] for r in client.get(ACTIVITIES).json()["results"]] == [response.json()["id"]]


def test_activities_refused_to_the_wrong_users(
    client_for: Callable[[User], Client],
    _civil: User,
    _site: Site,
    outsider: User,
    police: User,
    auditor: User,
) -> None:
    activity = services.activity_record(
        actor=_civil, data={**_activity(held_on=date(2026, 9, 12)), "site": _site}
    )
    for user in (outsider, police, auditor):
        client = client_for(user)
        assert client.get(ACTIVITIES).status_code == 403
        assert client.get(f"{ACTIVITIES}{activity.pk}/").status_code in (403, 404)
        assert _post(client, ACTIVITIES, _activity(site=_site.pk)).status_code == 403
    assert Activity.objects.count() == 1


def test_lists_take_the_same_queries_however_many_rows(
    client_for: Callable[[User], Client],
    _civil: User,
    _site: Site,
    _school: School,
    _team: Team,
    _make_volunteer: Callable[..., Volunteer],
) -> None:
    helpers = [_make_volunteer(name) for name in ("张伟", "王芳", "李娜")]
    client = client_for(_civil)

    def record(n: int, **place: Any) -> None:
        for _i in range(n):
            services.activity_record(
                actor=_civil,
                data={**_activity(held_on=date(2026, 9, 12)), **place, "team": _team,
                      "volunteers": helpers},
            )  # fmt: skip

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    record(1, site=_site)
    few = {url: queries(url) for url in (SITES, VOLUNTEERS, ACTIVITIES)}
    record(3, site=_site)
    record(3, school=_school)
    services.site_create(
        actor=_civil, data={"kind": "parent_school", "name": "家长学校", "village": _site.village}
    )
    assert {url: queries(url) for url in (SITES, VOLUNTEERS, ACTIVITIES)} == few
