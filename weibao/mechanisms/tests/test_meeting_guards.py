"""Each meetings service refuses a wrong actor called directly (no page in front of it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.accounts.models import User
from weibao.mechanisms.models import Decision, Meeting
from weibao.mechanisms.services import meetings as services
from weibao.testing import County

Call = Callable[[User, Meeting, Decision, County], Any]

CALLS: dict[str, Call] = {
    "meeting_create": lambda a, m, d, c: services.meeting_create(
        actor=a,
        data={"title": "会", "held_on": date(2026, 9, 1), "units": [c.education]},
    ),
    "meeting_update": lambda a, m, d, c: services.meeting_update(
        actor=a, meeting=m, data={"title": "改"}
    ),
    "attendance_set": lambda a, m, d, c: services.attendance_set(
        actor=a, meeting=m, rows=[{"unit": c.education, "present": False}]
    ),
    "minutes_record": lambda a, m, d, c: services.minutes_record(
        actor=a, meeting=m, minutes="纪要"
    ),
    "decision_add": lambda a, m, d, c: services.decision_add(actor=a, meeting=m, text="事项"),
    "decision_update": lambda a, m, d, c: services.decision_update(
        actor=a, decision=d, text="改正"
    ),
    "decision_remove": lambda a, m, d, c: services.decision_remove(actor=a, decision=d),
    "meeting_cases_set": lambda a, m, d, c: services.meeting_cases_set(
        actor=a, meeting=m, cases=[], files=[]
    ),
    "meeting_attach": lambda a, m, d, c: services.meeting_attach(
        actor=a, meeting=m, upload=SimpleUploadedFile("a.txt", b"hello")
    ),
}


@pytest.fixture
def world(county: County, lead: User) -> tuple[Meeting, Decision]:
    meeting = services.meeting_create(
        actor=lead,
        data={
            "kind": Meeting.Kind.CONSULTATION,
            "title": "个案会商",
            "held_on": date(2026, 9, 1),
            "units": [county.procuratorate, county.education, county.school_a],
        },
    )
    return meeting, services.decision_add(actor=lead, meeting=meeting, text="事项")


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("who", ["liaison_a", "outsider", "sysadmin"])
def test_service_refuses_a_wrong_actor(
    name: str, who: str, world: tuple[Meeting, Decision], county: County, request: Any
) -> None:
    """A unit asked to the meeting (school A), an outsider and the system administrator: none
    keeps the meetings."""
    actor = request.getfixturevalue(who)
    meeting, decision = world
    with pytest.raises(PermissionDenied):
        CALLS[name](actor, meeting, decision, county)
    meeting.refresh_from_db()
    assert meeting.title == "个案会商"
    assert meeting.decisions.count() == 1


def test_minutes_document_refuses_a_unit_not_asked(
    world: tuple[Meeting, Decision], liaison_b: User, outsider: User, sysadmin: User
) -> None:
    meeting, _decision = world
    for actor in (liaison_b, outsider, sysadmin):
        with pytest.raises(PermissionDenied):
            services.minutes_document(actor=actor, meeting=meeting)


def test_the_lead_and_the_coordinator_may(
    world: tuple[Meeting, Decision], county: County, lead: User, coordinator: User
) -> None:
    meeting, decision = world
    for actor in (lead, coordinator):
        services.minutes_record(actor=actor, meeting=meeting, minutes="纪要")
        services.decision_update(actor=actor, decision=decision, text="改正")
