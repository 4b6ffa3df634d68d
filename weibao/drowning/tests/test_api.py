"""The API: waters and incidents read in scope; a patrol posted through the service."""

from __future__ import annotations

from rest_framework.test import APIClient

from weibao.drowning.models import Patrol, Rectification


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_waters_in_scope(water, liaison_a, liaison_b, outsider) -> None:
    assert [
        w["name"] for w in api_for(liaison_a).get("/api/v1/drowning/waters/").json()["results"]
    ] == ["后山塘"]
    assert api_for(liaison_b).get("/api/v1/drowning/waters/").json()["results"] == []
    assert api_for(outsider).get("/api/v1/drowning/waters/").status_code == 403
    assert api_for(liaison_b).get(f"/api/v1/drowning/waters/{water.pk}/").status_code == 404


def test_post_patrol(water, village_clerk, liaison_a, township_b_worker) -> None:
    body = {"water": water.pk, "patrolled_at": "2026-07-15T09:00:00Z", "sign_state": "ok",
            "pole_state": "ok", "rope_state": "ok", "ring_state": "missing",
            "people_in_water": 0}  # fmt: skip
    response = api_for(village_clerk).post("/api/v1/drowning/patrols/", body, format="json")
    assert response.status_code == 201, response.content
    assert Patrol.objects.count() == 1 and Rectification.objects.get().item == "ring"
    assert (
        api_for(liaison_a).post("/api/v1/drowning/patrols/", body, format="json").status_code == 403
    )
    other = api_for(township_b_worker).post("/api/v1/drowning/patrols/", body, format="json")
    assert other.status_code == 404
    future = api_for(village_clerk).post(
        "/api/v1/drowning/patrols/", {**body, "patrolled_at": "2026-07-16T09:00:00Z"}, format="json"
    )
    assert future.status_code == 400 and Patrol.objects.count() == 1


def test_incidents_read(water, township_worker, coordinator, liaison_a) -> None:
    assert api_for(coordinator).get("/api/v1/drowning/incidents/").status_code == 200
    assert api_for(liaison_a).get("/api/v1/drowning/incidents/").status_code == 403


def test_letters_in_scope(letter, liaison_a, liaison_b, edu_reader, outsider) -> None:
    rows = api_for(liaison_a).get("/api/v1/drowning/letters/").json()["results"]
    assert [(r["school_name"], r["season"], r["receipts"]) for r in rows] == [
        ("鳌溪镇中心小学", "summer", 0)
    ]
    assert api_for(edu_reader).get(f"/api/v1/drowning/letters/{letter.pk}/").status_code == 200
    assert api_for(liaison_b).get("/api/v1/drowning/letters/").json()["results"] == []
    assert api_for(liaison_b).get(f"/api/v1/drowning/letters/{letter.pk}/").status_code == 404
    assert api_for(outsider).get("/api/v1/drowning/letters/").status_code == 403


def test_assignments_in_scope(assignment, teacher_a, liaison_b, outsider) -> None:
    rows = api_for(teacher_a).get("/api/v1/drowning/assignments/").json()["results"]
    assert [(r["child_name"], r["assignee_name"]) for r in rows] == [("张*明", "李老师")]
    assert api_for(liaison_b).get("/api/v1/drowning/assignments/").json()["results"] == []
    assert (
        api_for(liaison_b).get(f"/api/v1/drowning/assignments/{assignment.pk}/").status_code == 404
    )
    assert api_for(outsider).get("/api/v1/drowning/assignments/").status_code == 403


def test_a_patrol_in_the_year_646_is_refused(water, village_clerk) -> None:
    """Found by the live fuzz: a patrol time of 0646-11-02T01:31:51.90-21:57 was stored and came
    back as 0646-11-03T07:34:34.900000+08:05:43, no valid date-time. Every model serializer's
    date and time is bounded to 2000-2099 now (weibao.core.api.ModelSerializer)."""
    body = {"water": water.pk, "patrolled_at": "0646-11-02T01:31:51.90-21:57",
            "sign_state": "ok", "pole_state": "ok", "rope_state": "ok", "ring_state": "ok",
            "people_in_water": 0}  # fmt: skip
    response = api_for(village_clerk).post("/api/v1/drowning/patrols/", body, format="json")
    assert response.status_code == 400 and "patrolled_at" in response.json()
    assert not Patrol.objects.exists()
