"""The API applies the same rules as the pages: scope, masking, sealing, audited views."""

from __future__ import annotations

import pytest
from django.utils import timezone

from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, MisconductEvent
from weibao.atrisk.tests.conftest import make_person, report, years_ago
from weibao.audit.models import AuditEvent

BASE = "/api/v1/atrisk"


@pytest.fixture
def files(liaison_a, liaison_b, police, pupil_a, pupil_b):
    report(liaison_a, [pupil_a], "BL01", "BL02")
    report(police, [pupil_a], "SB04")
    report(liaison_b, [pupil_b], "BL04")
    return AtRiskFile.objects.get(person=pupil_a), AtRiskFile.objects.get(person=pupil_b)


def test_list_is_scoped_and_masked(client_for, liaison_b, files):
    body = client_for(liaison_b).get(f"{BASE}/files/").json()
    assert [row["name"] for row in body["results"]] == ["赵*红"]
    assert "*" in body["results"][0]["id_number"]


def test_other_school_cannot_find_by_search_or_id(client_for, liaison_b, files, pupil_a):
    client = client_for(liaison_b)
    for q in ("wxm", pupil_a.id_number):
        assert client.get(f"{BASE}/files/", {"q": q}).json()["results"] == []
    assert client.get(f"{BASE}/files/{files[0].pk}/").status_code == 404
    assert client.get(f"{BASE}/files/{files[0].pk}/timeline/").status_code == 404


def test_retrieve_is_audited_and_timeline_hides_police_from_school(client_for, liaison_a, files):
    client = client_for(liaison_a)
    assert client.get(f"{BASE}/files/{files[0].pk}/").json()["grade"] == "T2"
    assert AuditEvent.objects.filter(action="view", target_id=str(files[0].pk)).exists()
    body = client.get(f"{BASE}/files/{files[0].pk}/timeline/").json()
    assert [e["codes"] for e in body["events"]] == [["BL01", "BL02"]]
    assert client.get(f"{BASE}/measures/").json()["results"] == []


def test_sealed_event_hidden_from_coordinator(client_for, coordinator, police, pupil_a, files):
    sealed = report(police, [pupil_a], "SB03", sealed=True)
    ids = {e["id"] for e in client_for(coordinator).get(f"{BASE}/events/").json()["results"]}
    assert sealed.pk not in ids and len(ids) == 3


def test_report_through_the_api(client_for, liaison_a, county):
    child = make_person(
        "新同学",
        county.school_a,
        birth_date=years_ago(12, 5),
        seq=88,
        school=county.school_a,
        division=county.village_a,
    )
    r = client_for(liaison_a).post(
        f"{BASE}/events/",
        {"people": [child.pk], "occurred_on": timezone.localdate().isoformat(), "codes": ["BL02"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert AtRiskFile.objects.get(person=child).grade == "T1"


def test_report_for_another_schools_pupil_is_refused(client_for, liaison_b, pupil_a):
    r = client_for(liaison_b).post(
        f"{BASE}/events/",
        {
            "people": [pupil_a.pk],
            "occurred_on": timezone.localdate().isoformat(),
            "codes": ["BL01"],
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "people" in r.json()
    assert not MisconductEvent.objects.exists()


@pytest.mark.parametrize("path", ["files/", "events/", "measures/", "warnings/", "files/overview/"])
def test_not_allowed(client_for, outsider, sysadmin, auditor, files, path):
    for user in (outsider, sysadmin, auditor):
        assert client_for(user).get(f"{BASE}/{path}").status_code == 403


def test_overview(client_for, coordinator, files):
    body = client_for(coordinator).get(f"{BASE}/files/overview/").json()
    assert body["total"] == 2


def test_warnings_mine(client_for, liaison_a, files):
    body = client_for(liaison_a).get(f"{BASE}/warnings/", {"mine": "1"}).json()
    assert any(w["kind"] == "grade_up" for w in body["results"])
    services.scores_recompute_all()
