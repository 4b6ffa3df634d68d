"""The pages: each opens for the right user and refuses the wrong one; lists keep their query
count; the patrol form saves; the water form refuses a point outside the county."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.drowning import services
from weibao.drowning.models import HazardousWater, Patrol, Rectification


@pytest.fixture
def world(water, township_worker) -> dict:
    services.patrol_record(
        actor=township_worker,
        water=water,
        data={"patrolled_at": timezone.now() - timedelta(hours=1), "patroller": "张",
              "sign_state": "missing", "pole_state": "ok", "rope_state": "ok",
              "ring_state": "ok", "people_in_water": 0},
    )  # fmt: skip
    custodian = services.custodian_create(
        actor=township_worker,
        data={"name": "王", "phone": "13800001234", "township": water.village.parent,
              "summer": True, "waters": [water]},
    )  # fmt: skip
    incident = services.incident_record(
        actor=township_worker,
        data={"occurred_at": timezone.now() - timedelta(minutes=30), "water": water, "age": 9,
              "sex": "M", "circumstance": "alone", "activity": "swimming", "outcome": "died",
              "reported_by": "村民"},
    )  # fmt: skip
    return {"water": water, "custodian": custodian, "incident": incident,
            "rectification": Rectification.objects.get()}  # fmt: skip


# url name, argument key, the user who may open it, a user refused (403/404), method.
PAGES = [
    ("water_list", None, "liaison_a", "outsider", "get"),
    ("water_detail", "water", "liaison_a", "liaison_b", "get"),
    ("water_create", None, "township_worker", "liaison_a", "get"),
    ("water_edit", "water", "township_worker", "township_b_worker", "get"),
    ("water_export", None, "edu_reader", "police", "get"),
    ("water_import", None, "water_bureau", "edu_reader", "get"),
    ("water_template", None, "water_bureau", "village_clerk", "get"),
    ("custodian_list", None, "village_clerk", "outsider", "get"),
    ("custodian_create", "water", "township_worker", "village_clerk", "get"),
    ("custodian_edit", "custodian", "township_worker", "township_b_worker", "get"),
    ("patrol_create", "water", "village_clerk", "liaison_a", "get"),
    ("rectification_list", None, "township_worker", "auditor", "get"),
    ("rectification_close", "rectification", None, "village_clerk", "post"),
    ("incident_list", None, "coordinator", "liaison_a", "get"),
    ("incident_create", None, "township_worker", "village_clerk", "get"),
    ("incident_detail", "incident", "coordinator", "township_b_worker", "get"),
]


@pytest.mark.parametrize(("name", "arg", "allowed", "refused", "method"), PAGES)
def test_page_access(request, client_for, world, name, arg, allowed, refused, method) -> None:
    args = [world[arg].pk] if arg else []
    url = reverse(f"drowning:{name}", args=args)
    if allowed:
        response = getattr(client_for(request.getfixturevalue(allowed)), method)(url)
        assert response.status_code == 200, response.content[:300]
    response = getattr(client_for(request.getfixturevalue(refused)), method)(url)
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("user", ["sysadmin", "auditor", "outsider"])
def test_nobody_else(request, client_for, world, user) -> None:
    client = client_for(request.getfixturevalue(user))
    for name in ("home", "water_list", "incident_list", "custodian_list"):
        assert client.get(reverse(f"drowning:{name}")).status_code == 403


def test_school_sees_only_catchment(client_for, world, liaison_a, liaison_b, make_water) -> None:
    make_water(name="远处的河", latitude="27.700000", longitude="115.830000")
    text = client_for(liaison_a).get(reverse("drowning:water_list")).content.decode()
    assert "后山塘" in text and "远处的河" not in text
    text = client_for(liaison_b).get(reverse("drowning:water_list")).content.decode()
    assert "后山塘" not in text


def test_list_filters(client_for, world, water_bureau, make_water) -> None:
    make_water(name="好塘", risk="low")
    client = client_for(water_bureau)
    text = client.get(reverse("drowning:water_list"), {"gap": "on"}).content.decode()
    assert "后山塘" in text and "好塘" not in text
    text = client.get(reverse("drowning:water_list"), {"risk": "low"}).content.decode()
    assert "后山塘" not in text and "好塘" in text


def test_create_outside_county_refused(client_for, county, water_bureau, school_a) -> None:
    response = client_for(water_bureau).post(
        reverse("drowning:water_create"),
        {"name": "远塘", "kind": "pond", "village": county.village_a.pk, "latitude": "35",
         "longitude": "115.8", "risk": "high", "sign_state": "ok", "pole_state": "ok",
         "rope_state": "ok", "ring_state": "ok"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "outside the county" in response.content.decode()
    assert not HazardousWater.objects.exists()


def test_patrol_form_saves(client_for, water, village_clerk) -> None:
    url = reverse("drowning:patrol_create", args=[water.pk])
    client = client_for(village_clerk)
    assert client.get(url).status_code == 200
    form = {"patrolled_at": "2026-07-15 17:30", "patroller": "李", "sign_state": "ok",
            "pole_state": "ok", "rope_state": "damaged", "ring_state": "ok",
            "people_in_water": "0"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    assert Rectification.objects.get().item == "rope"
    future = client.post(url, {**form, "patrolled_at": "2026-07-16 09:00"})
    assert future.status_code == 400 and "future" in future.content.decode()
    assert Patrol.objects.count() == 1


def test_close_rectification(client_for, world, township_worker) -> None:
    item = world["rectification"]
    url = reverse("drowning:rectification_close", args=[item.pk])
    assert client_for(township_worker).post(url, {"note": "新牌已立"}).status_code == 302
    assert not Rectification.objects.get(pk=item.pk).is_open


def test_incident_detail_shows_review(client_for, world, coordinator) -> None:
    url = reverse("drowning:incident_detail", args=[world["incident"].pk])
    text = client_for(coordinator).get(url).content.decode()
    assert "Review" in text and "missing or damaged" in text


def test_chinese(client_for, world, water_bureau) -> None:
    water_bureau.language = "zh-hans"
    water_bureau.save()
    client = client_for(water_bureau)
    response = client.get(reverse("drowning:water_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "user"),
    [("water_list", "water_bureau"), ("custodian_list", "water_bureau"),
     ("rectification_list", "water_bureau"), ("incident_list", "coordinator")],
)  # fmt: skip
def test_query_count_flat(
    request, client_for, world, make_water, township_worker, django_assert_max_num_queries,
    name, user,
) -> None:  # fmt: skip
    client = client_for(request.getfixturevalue(user))
    url = reverse(f"drowning:{name}")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(6):
        water = make_water(name=f"塘{i}")
        services.patrol_record(
            actor=township_worker,
            water=water,
            data={"patrolled_at": timezone.now() - timedelta(hours=1), "patroller": "张",
                  "sign_state": "missing", "pole_state": "ok", "rope_state": "ok",
                  "ring_state": "ok", "people_in_water": 0},
        )  # fmt: skip
        services.custodian_create(
            actor=township_worker,
            data={"name": f"王{i}", "phone": "13800001234", "township": water.village.parent,
                  "summer": True, "waters": [water]},
        )  # fmt: skip
        services.incident_record(
            actor=township_worker,
            data={"occurred_at": timezone.now() - timedelta(hours=2), "water": water, "age": 9,
                  "sex": "F", "circumstance": "alone", "activity": "playing",
                  "outcome": "rescued", "reported_by": "村民"},
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
