"""Every user-triggered family service checks its actor itself: called directly by a wrong user
it raises PermissionDenied and writes nothing (not even an audit event). The clearance reading
and the counts take no actor (the nightly job and the pages call them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment
from weibao.family import services
from weibao.family.models import Activity, Helper, Method, Site, Team, Topic, Training, Volunteer
from weibao.family.tests.conftest import TODAY, adult_id, site_data
from weibao.people.models import Person
from weibao.testing import xlsx_upload

MODELS: tuple[type[models.Model], ...] = (
    Site, Team, Volunteer, Training, Activity, Helper, Person, AuditEvent, Attachment,
)  # fmt: skip


def _state():
    return [list(m._default_manager.order_by("pk").values()) for m in MODELS]


@pytest.fixture
def world(county, civil, site, team, volunteer, school_a):
    at_school = services.activity_record(
        actor=civil,
        data={
            "kind": "talk",
            "title": "家长课堂",
            "held_on": TODAY - timedelta(days=1),
            "school": school_a,
            "team": team,
            "topic": Topic.SAFETY,
            "method": Method.EVERYDAY,
            "audience_parents": 30,
            "hours": "1",
        },
    )
    return {
        "county": county,
        "site": site,
        "team": team,
        "volunteer": volunteer,
        "activity": at_school,
    }


def _activity_data(w):
    return {
        "kind": "talk",
        "title": "新活动",
        "held_on": TODAY,
        "site": w["site"],
        "team": w["team"],
        "topic": Topic.VIRTUE,
        "method": Method.EXAMPLE,
        "audience_parents": 10,
    }


CALLS = {
    "site_create": lambda a, w: services.site_create(
        actor=a, data=site_data(w["county"], name="新儿童之家")
    ),
    "site_update": lambda a, w: services.site_update(
        actor=a, site=w["site"], data={"opening_hours": "全天"}
    ),
    "sites_export": lambda a, w: services.sites_export(actor=a),
    "volunteer_create": lambda a, w: services.volunteer_create(
        actor=a,
        data={
            "name": "王芳",
            "id_number": adult_id(),
            "team": w["team"],
            "township": w["county"].township_a,
        },
    ),
    "volunteer_update": lambda a, w: services.volunteer_update(
        actor=a, volunteer=w["volunteer"], data={"skills": "心理辅导"}
    ),
    "volunteer_view": lambda a, w: services.volunteer_view(actor=a, volunteer=w["volunteer"]),
    "training_record": lambda a, w: services.training_record(
        actor=a, volunteer=w["volunteer"], data={"held_on": TODAY, "topic": "t", "hours": "1"}
    ),
    "volunteers_import": lambda a, w: services.volunteers_import(
        actor=a, upload=xlsx_upload([str(c.header) for c in services.COLUMNS], [["x"]])
    ),
    "volunteers_export": lambda a, w: services.volunteers_export(actor=a),
    "activity_record": lambda a, w: services.activity_record(actor=a, data=_activity_data(w)),
    "activity_update": lambda a, w: services.activity_update(
        actor=a, activity=w["activity"], data={"title": "改过的"}
    ),
    "activity_attach": lambda a, w: services.activity_attach(
        actor=a,
        activity=w["activity"],
        upload=SimpleUploadedFile("sign-in.pdf", b"%PDF-1.4\n%%EOF\n"),
    ),
}
# Who is wrong for each, besides those wrong for all (ALWAYS): the network's read-only user
# keeps nothing; a team lead keeps no site nor volunteer; the lead of another team trains,
# sees and changes none of this team's; school A reads the activity held there, changes nothing.
ALWAYS = ("outsider", "liaison_a", "auditor", "sysadmin")
KEEPS = ("civil_reader", "team_lead")
WRONG = {
    "site_create": (*ALWAYS, *KEEPS, "police"),
    "site_update": (*ALWAYS, *KEEPS),
    "sites_export": (*ALWAYS, "police"),
    "volunteer_create": (*ALWAYS, *KEEPS),
    "volunteer_update": (*ALWAYS, *KEEPS, "other_lead"),
    "volunteer_view": (*ALWAYS, "other_lead", "police"),
    "training_record": (*ALWAYS, "civil_reader", "other_lead"),
    "volunteers_import": (*ALWAYS, *KEEPS),
    "volunteers_export": (*ALWAYS, "township_worker"),
    "activity_record": (*ALWAYS, "civil_reader", "police"),
    "activity_update": (*ALWAYS, "civil_reader", "other_lead"),
    "activity_attach": (*ALWAYS, "civil_reader", "other_lead"),
}
CASES = [(name, user) for name in sorted(CALLS) for user in WRONG[name]]


@pytest.mark.parametrize(("name", "user"), CASES)
def test_wrong_actor_refused(request, world, name, user) -> None:
    actor = request.getfixturevalue(user)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[name](actor, world)
    assert _state() == before


@pytest.mark.parametrize(
    ("name", "user"),
    [
        ("site_update", "womens"),
        ("sites_export", "team_lead"),
        ("sites_export", "civil_reader"),
        ("volunteer_update", "coordinator"),
        ("volunteer_view", "team_lead"),
        ("training_record", "team_lead"),
        ("volunteers_export", "team_lead"),
        ("activity_record", "team_lead"),
        ("activity_update", "team_lead"),
    ],
)
def test_the_right_actor_passes_the_guard(request, world, name, user) -> None:
    """The refusals above are the guard's, not a broken call: the same call by someone allowed
    goes through."""
    CALLS[name](request.getfixturevalue(user), world)
