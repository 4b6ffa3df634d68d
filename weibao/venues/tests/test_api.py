"""The API: venues and inspections scoped like the pages; inspections posted through the
service (its checks answer 400); the wrong user refused."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from weibao.venues import services
from weibao.venues.models import Inspection


def test_venues_scoped(client_for, cafe, far_shop, culture, market, liaison_b, outsider) -> None:
    names = {v["name"] for v in client_for(culture).get("/api/v1/venues/venues/").json()["results"]}
    assert names == {cafe.name}
    names = {v["name"] for v in client_for(market).get("/api/v1/venues/venues/").json()["results"]}
    assert names == {far_shop.name}
    assert client_for(liaison_b).get("/api/v1/venues/venues/").json()["results"] == []
    assert client_for(outsider).get("/api/v1/venues/venues/").status_code == 403
    assert client_for(liaison_b).get(f"/api/v1/venues/venues/{cafe.pk}/").status_code == 404
    detail = client_for(culture).get(f"/api/v1/venues/venues/{cafe.pk}/").json()
    assert detail["open_violations"] == 1 and detail["kind"] == "V01"


def test_violations_endpoint(client_for, cafe, culture, liaison_a, liaison_b) -> None:
    rows = client_for(liaison_a).get("/api/v1/venues/violations/").json()["results"]
    assert [r["venue"] for r in rows] == [cafe.pk] and rows[0]["rule_metres"] == 200
    assert client_for(liaison_b).get("/api/v1/venues/violations/").json()["results"] == []


def test_post_an_inspection(client_for, cafe, culture, liaison_a, market) -> None:
    checklist = {i.code: "ok" for i in services.venue_checklist(cafe)}
    body = {
        "venue": cafe.pk,
        "inspected_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "inspectors": ["江涛", "邱明"],
        "checklist": checklist,
        "minors_found": 0,
    }
    response = client_for(culture).post(
        "/api/v1/venues/inspections/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Inspection.objects.count() == 1
    one = {**body, "inspectors": ["江涛"]}
    response = client_for(culture).post(
        "/api/v1/venues/inspections/", one, content_type="application/json"
    )
    assert response.status_code == 400 and "inspectors" in response.json()
    # A school may not post; a unit of other kinds does not find the venue.
    response = client_for(liaison_a).post(
        "/api/v1/venues/inspections/", body, content_type="application/json"
    )
    assert response.status_code == 403
    response = client_for(market).post(
        "/api/v1/venues/inspections/", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert Inspection.objects.count() == 1
    assert client_for(liaison_a).get("/api/v1/venues/inspections/").status_code == 403


def test_post_a_venue(client_for, county, culture, market, liaison_a, school_a) -> None:
    from weibao.venues.models import Venue, Violation
    from weibao.venues.tests.conftest import code, north_of_a

    body = {
        "kind": "V01",
        "name": "API网吧",
        "credit_code": code(),
        "village": county.village_a.pk,
        "latitude": north_of_a(90),
        "longitude": "115.830000",
    }
    response = client_for(culture).post(
        "/api/v1/venues/venues/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["open_violations"] == 1
    assert Violation.objects.open().get().venue == Venue.objects.get(name="API网吧")
    again = {**body, "name": "另一家"}
    response = client_for(culture).post(
        "/api/v1/venues/venues/", again, content_type="application/json"
    )
    assert response.status_code == 400 and "credit_code" in response.json()
    other = {**body, "credit_code": code()}
    response = client_for(market).post(
        "/api/v1/venues/venues/", other, content_type="application/json"
    )
    assert response.status_code == 400 and "kind" in response.json()
    response = client_for(liaison_a).post(
        "/api/v1/venues/venues/", other, content_type="application/json"
    )
    assert response.status_code == 403
    assert Venue.objects.count() == 1
