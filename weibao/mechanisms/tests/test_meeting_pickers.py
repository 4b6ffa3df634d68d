"""The meetings' pickers (cases, at-risk files, attendees), declared in weibao_app.py and served
by core's pick view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client
from django.urls import reverse

from weibao.accounts.models import User
from weibao.casework import services as casework_services
from weibao.casework.tests.conftest import report_data
from weibao.mechanisms.models import Meeting
from weibao.mechanisms.services import meetings as services
from weibao.testing import County

ClientFor = Callable[[User], Client]


def _pick(client: Client, name: str, **params: str) -> str:
    page = client.get(reverse("core:pick", args=[name]), params)
    assert page.status_code == 200
    return page.content.decode()


def test_case_picker_offers_only_cases_the_user_sees(
    client_for: ClientFor, county: County, coordinator: User, liaison_a: User, liaison_b: User
) -> None:
    case, _created = casework_services.report_file(actor=liaison_a, data=report_data(county))
    assert case.reference in _pick(client_for(coordinator), "mechanisms-case", q=case.reference)
    assert case.reference in _pick(client_for(liaison_a), "mechanisms-case", q=str(case.pk))
    assert case.reference not in _pick(client_for(liaison_b), "mechanisms-case", q=str(case.pk))


def test_attendee_picker_is_narrowed_to_the_unit(
    client_for: ClientFor, county: County, lead: User, liaison_a: User, liaison_b: User
) -> None:
    services.meeting_create(
        actor=lead,
        data={
            "title": "联席会议",
            "held_on": date(2026, 9, 1),
            "units": [county.school_a, county.school_b],
        },
    )
    client = client_for(lead)
    body = _pick(client, "mechanisms-attendee", q="liaison", unit=str(county.school_a.pk))
    assert "liaison_a" in body and "liaison_b" not in body
    # Those who keep no meetings get no one.
    body = _pick(
        client_for(liaison_a), "mechanisms-attendee", q="liaison", unit=str(county.school_a.pk)
    )
    assert "liaison_a" not in body


def test_cases_form_shows_the_linked_cases_the_user_sees(
    client_for: ClientFor, county: County, coordinator: User, liaison_a: User
) -> None:
    case, _created = casework_services.report_file(actor=liaison_a, data=report_data(county))
    meeting = services.meeting_create(
        actor=coordinator,
        data={
            "kind": Meeting.Kind.CONSULTATION,
            "title": "个案会商",
            "held_on": date(2026, 9, 1),
            "units": [county.procuratorate, county.school_a],
        },
    )
    services.meeting_cases_set(actor=coordinator, meeting=meeting, cases=[case], files=[])
    page = client_for(coordinator).get(reverse("mechanisms:meeting_cases", args=[meeting.pk]))
    assert case.reference in page.content.decode()


def test_edit_form_shows_the_meeting(client_for: ClientFor, county: County, lead: User) -> None:
    meeting = services.meeting_create(
        actor=lead,
        data={"title": "联席会议", "held_on": date(2026, 9, 1), "units": [county.school_a]},
    )
    body = client_for(lead).get(reverse("mechanisms:meeting_edit", args=[meeting.pk]))
    assert "联席会议" in body.content.decode() and county.school_a.name in body.content.decode()
