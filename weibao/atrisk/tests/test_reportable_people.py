"""One rule for "which minors may I record an event for" (access.reportable_people), applied
alike by the report form, the service and the API: minors today, in the reporter's people
register or with an open file the reporter sees."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.atrisk import services
from weibao.atrisk.access import reportable_people
from weibao.atrisk.forms import EventForm
from weibao.atrisk.models import AtRiskFile, MisconductEvent
from weibao.atrisk.tests.conftest import make_person, report, years_ago

NOW = datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(county, coordinator, liaison_a, pupil_a, pupil_b):
    """What school A's liaison may and may not name."""
    adult = make_person(
        "成年人", county.school_a, birth_date=years_ago(18, 1), seq=71, school=county.school_a
    )
    # Pupils of school B (not in school A's register) whose file school A's liaison works on.
    moved = make_person(
        "转学生", county.school_b, birth_date=years_ago(14), seq=72, school=county.school_b
    )
    closed = make_person(
        "结案生", county.school_b, birth_date=years_ago(14, 3), seq=73, school=county.school_b
    )
    services.file_open(actor=coordinator, person=moved, worker=liaison_a)
    old = services.file_open(actor=coordinator, person=closed, worker=liaison_a)
    services.file_close(actor=coordinator, file=old, reason="improved")
    return {
        "in_register": (pupil_a, True),
        "open_file_seen": (moved, True),
        "adult": (adult, False),
        "other_school": (pupil_b, False),
        "closed_file_only": (closed, False),
    }


CASES = ["in_register", "open_file_seen", "adult", "other_school", "closed_file_only"]


@pytest.mark.parametrize("case", CASES)
def test_the_rule(world, liaison_a, case):
    person, allowed = world[case]
    assert reportable_people(liaison_a).filter(pk=person.pk).exists() is allowed


@pytest.mark.parametrize("case", CASES)
def test_the_form_offers_exactly_them(world, liaison_a, case):
    person, allowed = world[case]
    offered = EventForm(user=liaison_a).fields["people"].queryset  # type: ignore[attr-defined]
    assert offered.filter(pk=person.pk).exists() is allowed


def test_the_form_on_a_closed_file_does_not_add_its_minor(world, liaison_a):
    person, _allowed = world["closed_file_only"]
    file = AtRiskFile.objects.get(person=person)
    form = EventForm(user=liaison_a, file=file)
    assert not form.fields["people"].queryset.filter(pk=person.pk).exists()  # type: ignore[attr-defined]


def test_the_report_page_on_a_closed_file(client_for, world, liaison_a):
    person, _allowed = world["closed_file_only"]
    file = AtRiskFile.objects.get(person=person)
    page = client_for(liaison_a).get("/at-risk/events/new/", {"file": file.pk})
    assert page.status_code == 200
    assert person.masked_name not in page.content.decode()


@pytest.mark.parametrize("case", CASES)
def test_the_service_accepts_exactly_them(world, liaison_a, case):
    person, allowed = world[case]
    if allowed:
        event = report(liaison_a, [person], "BL02", days_ago=1)
        assert event.files.filter(person=person).exists()
    else:
        with pytest.raises(ValidationError) as exc:
            report(liaison_a, [person], "BL02", days_ago=1)
        assert "people" in exc.value.message_dict
        assert not MisconductEvent.objects.filter(involved__file__person=person).exists()


@pytest.mark.parametrize("case", CASES)
def test_the_api_accepts_exactly_them(client_for, world, liaison_a, case):
    person, allowed = world[case]
    r = client_for(liaison_a).post(
        "/api/v1/atrisk/events/",
        {
            "people": [person.pk],
            "occurred_on": timezone.localdate().isoformat(),
            "codes": ["BL02"],
        },
        content_type="application/json",
    )
    if allowed:
        assert r.status_code == 201, r.content
    else:
        assert r.status_code == 400 and "people" in r.json()
        assert not MisconductEvent.objects.filter(involved__file__person=person).exists()


@pytest.mark.parametrize("case", CASES)
def test_the_page_accepts_exactly_them(client_for, world, liaison_a, case):
    from weibao.atrisk.models import Behaviour

    person, allowed = world[case]
    r = client_for(liaison_a).post(
        "/at-risk/events/new/",
        {
            "people": [person.pk],
            "occurred_on": timezone.localdate().isoformat(),
            "behaviours": list(Behaviour.objects.filter(code="BL02").values_list("pk", flat=True)),
            "crime_class": "other",
        },
    )
    assert r.status_code == (302 if allowed else 400)
    assert MisconductEvent.objects.filter(involved__file__person=person).exists() is allowed


def test_nobody_for_those_outside_atrisk_work(world, outsider, sysadmin):
    assert not reportable_people(outsider).exists()
    assert not reportable_people(sysadmin).exists()
