"""Activities: recorded at a site or at a school (the village follows the place), never both or
neither, never in the future nor at a closed site; a team lead records only for a team they
lead; where children take part, every lecturer and volunteer must be cleared (the refused
named); changed and audited; and the counts by village, site, team and volunteer hours, and the
villages covered in a year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.family import services
from weibao.family.models import Activity, Helper, Method, Site, Team, Topic, Volunteer
from weibao.family.tests.conftest import TODAY
from weibao.lib.masking import mask_name
from weibao.schools.models import School


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {name: [str(e.code) for e in errors] for name, errors in exc.value.error_dict.items()}


def activity(place: Site | School | None = None, **extra):
    data = {
        "kind": Activity.Kind.TALK,
        "title": "家庭教育促进法宣讲",
        "held_on": TODAY - timedelta(days=3),
        "topic": Topic.VIRTUE,
        "method": Method.EXAMPLE,
        "audience_children": 0,
        "audience_parents": 40,
        "hours": "2",
    }
    if isinstance(place, Site):
        data["site"] = place
    elif isinstance(place, School):
        data["school"] = place
    data.update(extra)
    return data


def test_recorded_at_a_site(county, civil, site, team, make_volunteer) -> None:
    lecturer, helper = make_volunteer(), make_volunteer()
    recorded = services.activity_record(
        actor=civil,
        data=activity(site, team=team, lecturers=[lecturer], volunteers=[helper, lecturer]),
    )
    recorded.refresh_from_db()
    assert recorded.site == site and recorded.village == county.village_a
    assert recorded.recorded_by == civil and recorded.hours == Decimal("2")
    rows = dict(Helper.objects.values_list("volunteer", "role"))
    assert rows == {lecturer.pk: Helper.Role.LECTURER, helper.pk: Helper.Role.VOLUNTEER}
    event = AuditEvent.objects.get(detail__operation="family_activity_record")
    assert event.target_id == str(recorded.pk) and event.detail["helpers"] == 2


def test_recorded_at_a_school_takes_the_schools_village(county, womens, school_a) -> None:
    recorded = services.activity_record(actor=womens, data=activity(school_a))
    assert recorded.school == school_a and recorded.village == county.village_a
    assert recorded.site is None and recorded.place == str(county.school_a)


def test_both_places_or_neither_are_refused(civil, site, school_a) -> None:
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data={**activity(site), "school": school_a})
    assert codes(exc)["school"] == ["both"]
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data=activity())
    assert codes(exc)["site"] == ["required"]
    assert not Activity.objects.exists()


def test_a_future_day_is_refused(civil, site) -> None:
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data=activity(site, held_on=TODAY + timedelta(1)))
    assert codes(exc)["held_on"] == ["future"]
    services.activity_record(actor=civil, data=activity(site, held_on=TODAY))  # today is fine
    assert Activity.objects.count() == 1


def test_a_closed_site_is_refused(civil, site) -> None:
    services.site_update(actor=civil, site=site, data={"status": Site.Status.CLOSED})
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data=activity(site))
    assert codes(exc)["site"] == ["closed"]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "   "}, "title"),
        ({"held_on": None}, "held_on"),
        ({"hours": "0"}, "hours"),
        ({"hours": "25"}, "hours"),
        ({"hours": "two"}, "hours"),
        ({"audience_parents": 100_001}, "audience_parents"),
        ({"topic": "a99"}, "topic"),
        ({"method": ""}, "method"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_record_refuses(civil, site, extra, field) -> None:
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data=activity(site, **extra))
    assert field in exc.value.message_dict
    assert not Activity.objects.exists()


def test_a_team_lead_records_for_their_own_team_only(site, team, lecturers_team, team_lead) -> None:
    mine = services.activity_record(actor=team_lead, data=activity(site, team=team))
    assert mine.team == team
    for other in (lecturers_team, None):
        with pytest.raises(ValidationError) as exc:
            services.activity_record(actor=team_lead, data=activity(site, team=other))
        assert codes(exc)["team"] == ["not_your_team"]
    Team.objects.filter(pk=team.pk).update(is_active=False)
    team.refresh_from_db()
    fresh = User.objects.get(pk=team_lead.pk)  # "leads a team" is read once per user object
    with pytest.raises(PermissionDenied):  # no active team left: not a lead any more
        services.activity_record(actor=fresh, data=activity(site, team=team))
    assert Activity.objects.count() == 1


def test_an_inactive_team_is_refused_for_the_network_too(civil, site, team) -> None:
    Team.objects.filter(pk=team.pk).update(is_active=False)
    team.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data=activity(site, team=team))
    assert codes(exc)["team"] == ["inactive"]


def test_an_inactive_volunteer_is_refused(civil, site, make_volunteer) -> None:
    gone = make_volunteer(name="王芳")
    Volunteer.objects.filter(pk=gone.pk).update(status=Volunteer.Status.LEFT)
    gone.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.activity_record(actor=civil, data=activity(site, volunteers=[gone]))
    assert codes(exc)["volunteers"] == ["inactive"]
    assert mask_name("王芳") in exc.value.message_dict["volunteers"][0]


@pytest.mark.parametrize(
    "extra",
    [
        {"audience_children": 12},
        {"kind": Activity.Kind.SELF_PROTECTION},
        {"kind": Activity.Kind.CARE_VISIT},
        {"kind": Activity.Kind.HOLIDAY},
    ],
)
def test_with_children_only_cleared_helpers(civil, site, make_volunteer, cleared, extra) -> None:
    ok, old, never = (
        make_volunteer(name="张伟"),
        make_volunteer(name="王芳"),
        make_volunteer(name="李娜"),
    )
    cleared(ok)
    cleared(old, days_ago=400)
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=civil, data=activity(site, lecturers=[ok, old], volunteers=[never], **extra)
        )
    assert codes(exc) == {"lecturers": ["not_cleared"]}
    message = exc.value.message_dict["lecturers"][0]
    assert mask_name("王芳") in message and mask_name("张伟") not in message
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=civil, data=activity(site, lecturers=[ok], volunteers=[never], **extra)
        )
    assert codes(exc) == {"volunteers": ["not_cleared"]}
    assert mask_name("李娜") in exc.value.message_dict["volunteers"][0]
    assert not Activity.objects.exists() and not Helper.objects.exists()
    cleared(never)
    services.activity_record(
        actor=civil, data=activity(site, lecturers=[ok], volunteers=[never], **extra)
    )
    assert Helper.objects.count() == 2


def test_parents_only_needs_no_clearance(civil, site, make_volunteer) -> None:
    services.activity_record(actor=civil, data=activity(site, lecturers=[make_volunteer()]))
    assert Helper.objects.count() == 1


def test_update_by_the_team_lead_and_audited(site, team, team_lead, school_a) -> None:
    recorded = services.activity_record(actor=team_lead, data=activity(site, team=team))
    services.activity_update(
        actor=team_lead,
        activity=recorded,
        data={"site": None, "school": school_a, "audience_parents": 55},
    )
    recorded.refresh_from_db()
    assert recorded.school == school_a and recorded.site is None
    assert recorded.audience_parents == 55
    event = AuditEvent.objects.get(detail__operation="family_activity_update")
    assert {"site", "school", "audience_parents"} <= set(event.detail["changes"])


def test_a_refused_update_leaves_the_activity(civil, site) -> None:
    recorded = services.activity_record(actor=civil, data=activity(site))
    before = Activity.objects.filter(pk=recorded.pk).values().get()
    with pytest.raises(ValidationError):
        services.activity_update(
            actor=civil, activity=recorded, data={"title": "新", "held_on": TODAY + timedelta(1)}
        )
    assert Activity.objects.filter(pk=recorded.pk).values().get() == before
    assert recorded.title == "家庭教育促进法宣讲"


def test_another_lead_may_not_change_the_activity(site, team, team_lead, other_lead) -> None:
    recorded = services.activity_record(actor=team_lead, data=activity(site, team=team))
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=other_lead, activity=recorded, data={"title": "改"})


# Counts ------------------------------------------------------------------------------------


@pytest.fixture
def held(county, civil, site, team, lecturers_team, school_a, make_volunteer, cleared):
    """Three activities in 2026 (two at the site by the team, one at school B by the lecturers),
    one in 2025 at school A."""
    school_b = School.objects.create(organisation=county.school_b, kind=School.Kind.JUNIOR)
    a, b = make_volunteer(name="张伟"), make_volunteer(name="王芳", team=lecturers_team)
    cleared(a)
    cleared(b)
    record = services.activity_record
    first = activity(site, team=team, audience_children=10, audience_parents=5, hours="2")
    record(actor=civil, data={**first, "lecturers": [a], "volunteers": [b]})
    second = activity(site, team=team, audience_children=20, audience_parents=0, hours="1.5")
    record(actor=civil, data={**second, "volunteers": [a]})
    third = activity(school_b, team=lecturers_team, audience_parents=30, hours="3")
    record(actor=civil, data={**third, "lecturers": [b]})
    last_year = activity(school_a, held_on=date(2025, 11, 1), audience_children=7, hours="1")
    record(actor=civil, data={**last_year, "audience_parents": 7})
    return {"a": a, "b": b, "school_b": school_b}


def test_counts_by_village_site_and_team(county, site, team, lecturers_team, held) -> None:
    year = Activity.objects.in_year(2026)
    by_village = list(services.counts_by_village(year))
    assert [(r["village"], r["activities"], r["children"], r["parents"]) for r in by_village] == [
        (county.village_a.pk, 2, 30, 5),
        (county.village_b.pk, 1, 0, 30),
    ]
    assert by_village[0]["hours"] == Decimal("3.5")
    assert by_village[0]["village__parent__name"] == "鳌溪镇"
    by_site = list(services.counts_by_site(year))
    assert [(r["site"], r["activities"], r["hours"]) for r in by_site] == [
        (site.pk, 2, Decimal("3.5"))
    ]
    by_team = {r["team__name"]: r for r in services.counts_by_team(Activity.objects.all())}
    assert set(by_team) == {team.name, lecturers_team.name}  # the 2025 one had no team
    assert (by_team[team.name]["activities"], by_team[team.name]["children"]) == (2, 30)
    assert by_team[lecturers_team.name]["parents"] == 30


def test_hours_by_volunteer(held) -> None:
    rows = list(services.hours_by_volunteer(Activity.objects.in_year(2026)))
    by_pk = {r["volunteer"]: r for r in rows}
    a, b = held["a"], held["b"]
    assert (by_pk[a.pk]["activities"], by_pk[a.pk]["hours"]) == (2, Decimal("3.5"))
    assert (by_pk[b.pk]["activities"], by_pk[b.pk]["hours"]) == (2, Decimal("5"))
    assert rows[0]["volunteer"] == b.pk  # most hours first
    assert list(services.hours_by_volunteer(Activity.objects.in_year(2024))) == []


def test_village_coverage(county, held) -> None:
    from weibao.accounts.models import Division

    Division.objects.create(
        code="361025100202", name="鳌溪新村", level=Division.Level.VILLAGE, parent=county.township_a
    )
    assert services.village_coverage(2026) == {"total": 3, "covered": 2, "uncovered": 1}
    assert services.village_coverage(2026, county.township_a) == {
        "total": 2,
        "covered": 1,
        "uncovered": 1,
    }
    assert services.village_coverage(2025, county.township_b) == {
        "total": 1,
        "covered": 0,
        "uncovered": 1,
    }
    assert services.village_coverage(2025)["covered"] == 1
