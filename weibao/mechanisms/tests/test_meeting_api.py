"""The meetings API (read-only): the caller's meetings with attendance and decisions nested and
the cases only as counts; not allowed for the system administrator."""

from __future__ import annotations

from datetime import date

from django.test import Client
from rest_framework.authtoken.models import Token

from weibao.accounts.models import User
from weibao.casework import services as casework_services
from weibao.casework.tests.conftest import report_data
from weibao.mechanisms.models import Meeting
from weibao.mechanisms.services import meetings as services
from weibao.testing import County

URL = "/api/v1/mechanisms/meetings/"


def api(user: User) -> Client:
    token, _created = Token.objects.get_or_create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}"})


def _consultation(county: County, lead: User, liaison_a: User) -> Meeting:
    meeting = services.meeting_create(
        actor=lead,
        data={
            "kind": Meeting.Kind.CONSULTATION,
            "title": "个案会商",
            "held_on": date(2026, 9, 1),
            "units": [county.procuratorate, county.school_a],
        },
    )
    services.decision_add(actor=lead, meeting=meeting, text="事项一")
    case, _created = casework_services.report_file(actor=liaison_a, data=report_data(county))
    services.meeting_cases_set(actor=lead, meeting=meeting, cases=[case], files=[])
    return meeting


def test_list_and_retrieve(
    county: County, lead: User, liaison_a: User, liaison_b: User, coordinator: User
) -> None:
    meeting = _consultation(county, lead, liaison_a)
    for user in (lead, coordinator, liaison_a):
        answer = api(user).get(URL)
        assert answer.status_code == 200, answer.content
        (row,) = answer.json()["results"]
        assert row["kind"] == "consultation"
        assert row["cases_count"] == 1 and row["files_count"] == 0
        decision = meeting.decisions.get()
        assert row["decisions"] == [{"id": decision.pk, "number": 1, "text": "事项一"}]
        units = {a["unit"] for a in row["attendances"]}
        assert units == {county.procuratorate.pk, county.school_a.pk}
        assert "cases" not in row
    assert api(liaison_a).get(f"{URL}{meeting.pk}/").status_code == 200
    assert api(liaison_b).get(URL).json()["results"] == []
    assert api(liaison_b).get(f"{URL}{meeting.pk}/").status_code == 404


def test_not_allowed(
    county: County, lead: User, liaison_a: User, sysadmin: User, outsider: User
) -> None:
    meeting = _consultation(county, lead, liaison_a)
    assert api(sysadmin).get(URL).status_code == 403
    assert api(outsider).get(f"{URL}{meeting.pk}/").status_code == 404
    assert api(lead).post(URL, {"title": "x"}).status_code == 405
