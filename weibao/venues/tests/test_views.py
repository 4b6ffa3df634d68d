"""The pages: each opens for the right user and refuses the wrong one; lists keep their query
count; the inspection form saves from the phone page; the venue form refuses a point outside the
county; the notice downloads as Word; the map's data is scoped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.venues import services
from weibao.venues.models import Inspection, RectificationOrder, Venue
from weibao.venues.tests.conftest import code, north_of_a


@pytest.fixture
def world(cafe, culture, liaison_a, county):
    services.inspection_record(
        actor=culture,
        venue=cafe,
        data={
            "inspected_at": timezone.now() - timedelta(hours=1),
            "inspectors": "甲,乙",
            "checklist": {i.code: "fail" for i in services.venue_checklist(cafe)},
        },
    )
    concern = services.concern_raise(actor=liaison_a, venue=cafe, text="有学生进出网吧")
    plan = services.plan_create(
        actor=culture,
        data={
            "title": "开学检查",
            "season": "term_start",
            "kinds": ["V01"],
            "lead": culture.organisation,
            "starts_on": timezone.localdate(),
            "due_on": timezone.localdate() + timedelta(days=20),
        },
    )
    from weibao.venues.models import DistanceRule

    return {
        "venue": cafe,
        "inspection": Inspection.objects.get(),
        "concern": concern,
        "order": RectificationOrder.objects.get(),
        "plan": plan,
        "rule": DistanceRule.objects.get(kind="V01"),
    }


# url name, argument key, the user who may open it, a user refused (403/404), method.
PAGES = [
    ("home", None, "liaison_a", "outsider", "get"),
    ("venue_list", None, "liaison_a", "outsider", "get"),
    ("venue_detail", "venue", "liaison_a", "liaison_b", "get"),
    ("venue_create", None, "culture", "liaison_a", "get"),
    ("venue_edit", "venue", "culture", "market", "get"),
    ("venue_export", None, "edu_reader", "outsider", "get"),
    ("venue_import", None, "market", "edu_reader", "get"),
    ("venue_template", None, "culture", "liaison_a", "get"),
    ("venue_import_errors", None, None, "liaison_a", "get"),
    ("inspection_create", "venue", "culture", "market", "get"),
    ("concern_create", "venue", "liaison_a", "liaison_b", "get"),
    ("rule_list", None, "liaison_a", "outsider", "get"),
    ("rule_end", "rule", None, "culture", "post"),
    ("violation_list", None, "culture", "auditor", "get"),
    ("plan_list", None, "market", "liaison_a", "get"),
    ("plan_create", None, "culture", "township_worker", "get"),
    ("plan_detail", "plan", "culture", "market", "get"),
    ("inspection_list", None, "township_worker", "liaison_a", "get"),
    ("inspection_start", None, "culture", "liaison_a", "get"),
    ("inspection_detail", "inspection", "coordinator", "liaison_a", "get"),
    ("order_list", None, "culture", "liaison_a", "get"),
    ("order_notice", "order", "culture", "liaison_a", "get"),
    ("repeat_offenders", None, "culture", "township_worker", "get"),
    ("concern_list", None, "culture", "outsider", "get"),
    ("concern_close", "concern", None, "liaison_a", "post"),
    ("map", None, "liaison_a", "outsider", "get"),
    ("map_data", None, "liaison_a", "outsider", "get"),
    ("map_townships", None, "liaison_a", "outsider", "get"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused", "method"), PAGES)
def test_page_access(request, client_for, world, name, arg, allowed, refused, method) -> None:
    args = [world[arg].pk] if arg else []
    url = reverse(f"venues:{name}", args=args)
    if allowed:
        response = getattr(client_for(request.getfixturevalue(allowed)), method)(url)
        assert response.status_code in (200, 302), response.content[:300]
    response = getattr(client_for(request.getfixturevalue(refused)), method)(url)
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("user", ["sysadmin", "auditor", "outsider"])
def test_nobody_else(request, client_for, world, user) -> None:
    client = client_for(request.getfixturevalue(user))
    for name in ("home", "venue_list", "violation_list", "inspection_list", "concern_list"):
        assert client.get(reverse(f"venues:{name}")).status_code == 403


def test_school_sees_only_its_circle(client_for, world, liaison_a, far_shop) -> None:
    response = client_for(liaison_a).get(reverse("venues:venue_list"))
    assert world["venue"].name.encode() in response.content
    assert far_shop.name.encode() not in response.content
    data = client_for(liaison_a).get(reverse("venues:map_data")).json()
    assert [v["id"] for v in data["venues"]] == [world["venue"].pk]
    assert data["venues"][0]["state"] == "breach"
    assert data["circles"] and all(c["metres"] == 200 for c in data["circles"])


@pytest.mark.parametrize(
    ("name", "user"),
    [
        ("venue_list", "culture"),
        ("violation_list", "culture"),
        ("inspection_list", "culture"),
        ("order_list", "culture"),
        ("plan_list", "culture"),
        ("concern_list", "culture"),
        ("repeat_offenders", "coordinator"),
    ],
)
def test_list_query_count(
    request, client_for, world, make_venue, name, user, django_assert_max_num_queries
) -> None:
    Venue.objects.filter(pk=world["venue"].pk).update(flagged_on=timezone.localdate())
    client = client_for(request.getfixturevalue(user))
    url = reverse(f"venues:{name}")
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for number in range(5):  # more rows, the same queries
        venue = make_venue(name=f"网吧{number}", latitude=north_of_a(50 + number))
        services.inspection_record(
            actor=request.getfixturevalue("culture"),
            venue=venue,
            data={
                "inspected_at": timezone.now(),
                "inspectors": "甲,乙",
                "checklist": {i.code: "fail" for i in services.venue_checklist(venue)},
            },
        )
        Venue.objects.filter(pk=venue.pk).update(flagged_on=timezone.localdate())
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_phone_inspection_form_saves(client_for, world, culture) -> None:
    venue = world["venue"]
    url = reverse("venues:inspection_create", args=[venue.pk])
    page = client_for(culture).get(url)
    assert b'type="radio"' in page.content and b"check_no_minors" in page.content
    data = {
        "inspected_at": (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "inspectors": "江涛\n邱明",
        "minors_found": "0",
        "reinspects": str(world["order"].pk),
        **{f"check_{i.code}": "ok" for i in services.venue_checklist(venue)},
    }
    response = client_for(culture).post(url, data)
    assert response.status_code == 302, response.content[:500]
    world["order"].refresh_from_db()
    assert world["order"].state == "rectified"


def test_the_inspection_form_shows_errors(client_for, world, culture) -> None:
    venue = world["venue"]
    data = {
        "inspected_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "inspectors": "江涛",
        "minors_found": "0",
        **{f"check_{i.code}": "ok" for i in services.venue_checklist(venue)},
    }
    response = client_for(culture).post(reverse("venues:inspection_create", args=[venue.pk]), data)
    assert response.status_code == 400
    assert b"future" in response.content and b"at least 2 inspectors" in response.content


def test_venue_form_outside_the_county(client_for, county, culture, school_a) -> None:
    data = {
        "kind": "V01",
        "name": "远方网吧",
        "credit_code": code(),
        "village": county.village_a.pk,
        "longitude": "120.000000",
        "latitude": "40.000000",
        "status": "open",
    }
    response = client_for(culture).post(reverse("venues:venue_create"), data)
    assert response.status_code == 400 and b"outside the county" in response.content


def test_the_notice_downloads(client_for, world, culture) -> None:
    response = client_for(culture).get(reverse("venues:order_notice", args=[world["order"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_photos_are_attached_and_served(client_for, world, culture, liaison_a) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from weibao.core.models import Attachment

    venue = world["venue"]
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    data = {
        "inspected_at": (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "inspectors": "江涛,邱明",
        "minors_found": "0",
        "photos": [SimpleUploadedFile("门口.png", png, content_type="image/png")],
        **{f"check_{i.code}": "ok" for i in services.venue_checklist(venue)},
    }
    url = reverse("venues:inspection_create", args=[venue.pk])
    response = client_for(culture).post(url, data)
    assert response.status_code == 302, response.content[:500]
    inspection = Inspection.objects.latest("pk")
    photo = Attachment.objects.for_owner(inspection).get()
    assert photo.name == "门口.png"
    page = client_for(culture).get(inspection.get_absolute_url())
    assert photo.get_absolute_url().encode() in page.content
