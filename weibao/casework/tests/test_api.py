"""The casework API: idempotent filing, police steps, referrals, confidentiality, refusals."""

from __future__ import annotations

from weibao.casework import services
from weibao.casework.models import Case, Referral

REPORTS = "/api/v1/casework/reports/"
REFERRALS = "/api/v1/casework/referrals/"


def _payload(county, **extra):
    data = {
        "situations": ["MR02"],
        "child_description": "约12岁女孩，怀孕",
        "seen": "产检发现怀孕",
        "place": "鳌溪村卫生室",
        "division": county.village_a.code,
        "reporter_name": "张医生",
    }
    data.update(extra)
    return data


def test_push_with_idempotency_key_files_once(county, nurse, client_for):
    client = client_for(nurse)
    first = client.post(
        REPORTS,
        _payload(county),
        content_type="application/json",
        headers={"Idempotency-Key": "his-0001"},
    )
    again = client.post(
        REPORTS,
        _payload(county),
        content_type="application/json",
        headers={"Idempotency-Key": "his-0001"},
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["urgent"] is True
    assert Case.objects.count() == 1
    # A key in the body works the same way.
    body = client.post(
        REPORTS, _payload(county, idempotency_key="his-0001"), content_type="application/json"
    )
    assert body.status_code == 200


def test_bad_push_names_the_field(county, nurse, client_for):
    response = client_for(nurse).post(
        REPORTS, _payload(county, child_description=""), content_type="application/json"
    )
    assert response.status_code == 400
    assert "child_description" in response.json()
    assert not Case.objects.exists()


def test_reporter_hidden_from_the_reporting_unit_shown_to_police(county, nurse, police, client_for):
    case, _ = services.report_file(
        actor=nurse, data={**_payload(county), "division": county.village_a}
    )
    mine = client_for(nurse).get(f"{REPORTS}{case.pk}/").json()
    assert "reporter_name" not in mine and "investigation_notes" not in mine
    theirs = client_for(police).get(f"{REPORTS}{case.pk}/").json()
    assert theirs["reporter_name"] == "张医生"


def test_police_accept_decide_feedback(county, nurse, police, client_for):
    case, _ = services.report_file(
        actor=nurse, data={**_payload(county), "division": county.village_a}
    )
    client = client_for(police)
    assert client.post(f"{REPORTS}{case.pk}/accept/").json()["status"] == "accepted"
    decided = client.post(
        f"{REPORTS}{case.pk}/decide/", {"decision": "criminal"}, content_type="application/json"
    )
    assert decided.json()["decision"] == "criminal"
    fed = client.post(
        f"{REPORTS}{case.pk}/feedback/", {"feedback": "已立案"}, content_type="application/json"
    )
    assert fed.json()["feedback"] == "已立案"
    again = client.post(f"{REPORTS}{case.pk}/accept/")
    assert again.status_code == 400 and "status" in again.json()


def test_not_allowed(county, nurse, police, liaison_a, outsider, client_for):
    case, _ = services.report_file(
        actor=nurse, data={**_payload(county), "division": county.village_a}
    )
    assert client_for(liaison_a).get(f"{REPORTS}{case.pk}/").status_code == 404
    assert client_for(nurse).post(f"{REPORTS}{case.pk}/accept/").status_code == 403
    assert (
        client_for(outsider)
        .post(REPORTS, _payload(county), content_type="application/json")
        .status_code
        == 403
    )
    assert client_for(liaison_a).get(REPORTS).json()["count"] == 0


def test_referrals_by_api(
    county, nurse, police, relief_worker, civil_affairs, liaison_a, client_for
):
    case, _ = services.report_file(
        actor=nurse, data={**_payload(county), "division": county.village_a}
    )
    client = client_for(police)
    data = {"case": case.pk, "to_unit": civil_affairs.pk, "action": "relief", "request": "救助"}
    first = client.post(
        REFERRALS, data, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    again = client.post(
        REFERRALS, data, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    pk = first.json()["id"]
    assert client_for(police).post(f"{REFERRALS}{pk}/accept/").status_code == 403
    assert client_for(liaison_a).get(f"{REFERRALS}{pk}/").status_code == 404
    receiver = client_for(relief_worker)
    assert receiver.post(f"{REFERRALS}{pk}/accept/").json()["status"] == "accepted"
    closed = receiver.post(
        f"{REFERRALS}{pk}/close/", {"outcome": "已救助"}, content_type="application/json"
    )
    assert closed.json()["status"] == "closed"
    assert Referral.objects.count() == 1


def test_hospital_cannot_refer_a_report(county, nurse, civil_affairs, client_for):
    case, _ = services.report_file(
        actor=nurse, data={**_payload(county), "division": county.village_a}
    )
    data = {"case": case.pk, "to_unit": civil_affairs.pk, "action": "relief", "request": "x"}
    response = client_for(nurse).post(REFERRALS, data, content_type="application/json")
    assert response.status_code == 400 and "case" in response.json()
