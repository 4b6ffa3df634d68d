"""The map: the boundaries upload (validated, replacing, nothing stored on error), the page,
the GeoJSON and the data endpoint scoped by the user (incidents only for who reads them, no
child's detail), filters by township and season, flat query counts; the wrong user refused."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from weibao.drowning import services
from weibao.drowning.models import TownshipMap
from weibao.drowning.services.maps import MAX_MAP_BYTES

SQUARE = [[[115.8, 27.4], [115.9, 27.4], [115.9, 27.5], [115.8, 27.5], [115.8, 27.4]]]


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(name: Any = "鳌溪镇", geometry: Any = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def upload(data: Any, name: str = "townships.geojson") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


def test_valid_file_replaces_the_stored_one(water_bureau) -> None:
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, SQUARE]}
    services.township_map_upload(
        actor=water_bureau, upload=upload(collection(feature())), name="a.geojson"
    )
    stored = services.township_map_upload(
        actor=water_bureau,
        upload=upload(collection(feature(), feature("公溪镇", multi))),
        name="b.geojson",
    )
    assert TownshipMap.objects.get() == stored and stored.townships == 2
    assert [f["properties"]["name"] for f in json.loads(services.township_map())["features"]] == [
        "鳌溪镇", "公溪镇",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"not json", "not_json"),
     (json.dumps({"type": "Feature"}).encode(), "not_collection"),
     (json.dumps(collection()).encode(), "no_features"),
     (json.dumps(collection(feature(name=""))).encode(), "no_name"),
     (json.dumps(collection(feature(), feature())).encode(), "duplicate_name"),
     (json.dumps(collection(feature(geometry={"type": "Point", "coordinates": [1, 2]}))).encode(),
      "geometry"),
     (json.dumps(collection(feature(geometry={"type": "Polygon",
                                              "coordinates": [[[115.8, 27.4], [115.9, 27.4]]]}))
                 ).encode(), "geometry"),
     (json.dumps(collection(feature(geometry={"type": "Polygon", "coordinates": [
         [[300, 27.4], [115.9, 27.4], [115.9, 27.5], [300, 27.4]]]}))).encode(), "geometry"),
     (b" " * (MAX_MAP_BYTES + 1), "too_large")],
)  # fmt: skip
def test_bad_file_refused_and_nothing_stored(water_bureau, content, code) -> None:
    services.township_map_upload(actor=water_bureau, upload=upload(collection(feature("旧"))))
    with pytest.raises(ValidationError) as caught:
        services.township_map_upload(actor=water_bureau, upload=upload(content))
    assert caught.value.error_dict["file"][0].code == code
    assert (
        json.loads(TownshipMap.objects.get().geojson)["features"][0]["properties"]["name"] == "旧"
    )


def test_error_names_the_feature(water_bureau) -> None:
    bad = collection(feature(), feature("公溪镇", {"type": "LineString", "coordinates": []}))
    with pytest.raises(ValidationError) as caught:
        services.township_map_upload(actor=water_bureau, upload=upload(bad))
    assert "Feature 2 (公溪镇)" in caught.value.messages[0]


def test_upload_page(client_for, water_bureau, county) -> None:
    url = reverse("drowning:map_upload")
    client = client_for(water_bureau)
    assert client.get(url).status_code == 200
    wrong_type = client.post(url, {"file": upload(collection(feature()), "t.txt")})
    assert wrong_type.status_code == 400 and "GeoJSON file" in wrong_type.content.decode()
    bad = client.post(url, {"file": upload(b"{")})
    assert bad.status_code == 400 and "not GeoJSON" in bad.content.decode()
    response = client.post(url, {"file": upload(collection(feature(), feature("无名镇")))})
    assert response.status_code == 302
    assert TownshipMap.objects.get().file_name == "townships.geojson"
    text = client.get(reverse("drowning:map")).content.decode()
    assert "无名镇" in text  # the warning: a name that is no township of the county


def test_chinese_error(client_for, water_bureau) -> None:
    water_bureau.language = "zh-hans"
    water_bureau.save()
    response = client_for(water_bureau).post(
        reverse("drowning:map_upload"), {"file": upload(b"{")}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400


@pytest.fixture
def world(water, make_water, county, township_worker, school_a, school_b) -> dict[str, Any]:
    far = make_water(name="公溪河", village=county.village_b, latitude="27.600000",
                     longitude="116.000000", ring_state="missing")  # fmt: skip
    summer = services.incident_record(
        actor=township_worker,
        data={"occurred_at": timezone.now() - timedelta(days=1), "water": water, "age": 9,
              "sex": "M", "circumstance": "alone", "activity": "swimming",
              "outcome": "rescued", "reported_by": "村民"},
    )  # fmt: skip
    spring = services.incident_record(
        actor=township_worker,
        data={"occurred_at": timezone.now() - timedelta(days=90), "place": "村口河边",
              "division": county.village_a, "latitude": "27.450000", "longitude": "115.850000",
              "age": 12, "sex": "F", "circumstance": "with_minors", "activity": "playing",
              "outcome": "rescued", "reported_by": "村民"},
    )  # fmt: skip
    return {"water": water, "far": far, "summer": summer, "spring": spring}


def _data(client, **params: Any) -> dict[str, Any]:
    response = client.get(reverse("drowning:map_data"), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_data_scoped_by_user(client_for, world, water_bureau, township_worker, liaison_a):
    everything = _data(client_for(water_bureau))
    assert {w["name"] for w in everything["waters"]} == {"后山塘", "公溪河"}
    assert {w["name"]: w["gaps"] for w in everything["waters"]}["公溪河"] == 1
    assert len(everything["schools"]) == 2 and len(everything["incidents"]) == 2
    assert everything["incidents"][0]["value"] == [115.83, 27.44]  # the water's point
    assert "age" not in json.dumps(everything["incidents"])
    own = _data(client_for(township_worker))
    assert {w["name"] for w in own["waters"]} == {"后山塘"}
    school = _data(client_for(liaison_a))
    assert {w["name"] for w in school["waters"]} == {"后山塘"}
    assert school["incidents"] == [] and school["incident_url"] == ""


def test_filters(client_for, world, water_bureau, county) -> None:
    client = client_for(water_bureau)
    b = _data(client, township=county.township_b.pk)
    assert [w["name"] for w in b["waters"]] == ["公溪河"] and b["incidents"] == []
    assert len(b["schools"]) == 1
    assert [i["id"] for i in _data(client, season="summer")["incidents"]] == [world["summer"].pk]
    assert [i["id"] for i in _data(client, season="other")["incidents"]] == [world["spring"].pk]
    bad = client.get(reverse("drowning:map_data"), {"season": "winter"})
    assert bad.status_code == 400


def test_township_filter_outside_reach_refused(client_for, world, township_worker, county):
    response = client_for(township_worker).get(
        reverse("drowning:map_data"), {"township": county.township_b.pk}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [("map", "liaison_a", "outsider"), ("map_data", "village_clerk", "police"),
     ("map_townships", "township_worker", "auditor"), ("map_upload", "water_bureau",
                                                       "township_worker"),
     ("map_upload", "water_bureau", "coordinator")],
)  # fmt: skip
def test_not_allowed(request, client_for, world, name, allowed, refused) -> None:
    url = reverse(f"drowning:{name}")
    assert client_for(request.getfixturevalue(allowed)).get(url).status_code == 200
    assert client_for(request.getfixturevalue(refused)).get(url).status_code == 403
    if name == "map_upload":
        posted = client_for(request.getfixturevalue(refused)).post(
            url, {"file": upload(collection(feature()))}
        )
        assert posted.status_code == 403 and not TownshipMap.objects.exists()


def test_map_page_loads_echarts_locally(client_for, world, water_bureau) -> None:
    response = client_for(water_bureau).get(reverse("drowning:map"), {"colour": "gaps"})
    text = response.content.decode()
    assert "vendor/echarts-6.1.0/echarts.min.js" in text and "drowning/map.js" in text
    assert 'data-colour="gaps"' in text and "http://" not in text.split("<main")[-1]
    assert 'nonce="' in text


def test_geojson_endpoint(client_for, world, water_bureau) -> None:
    client = client_for(water_bureau)
    empty = client.get(reverse("drowning:map_townships"))
    assert empty.json() == {"type": "FeatureCollection", "features": []}
    services.township_map_upload(actor=water_bureau, upload=upload(collection(feature())))
    assert len(client.get(reverse("drowning:map_townships")).json()["features"]) == 1


def test_data_query_count_flat(
    client_for, world, water_bureau, make_water, township_worker, county,
    django_assert_max_num_queries,
) -> None:  # fmt: skip
    client = client_for(water_bureau)
    url = reverse("drowning:map_data")
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"township": county.township_a.pk, "season": "summer"})
    for i in range(6):
        water = make_water(name=f"塘{i}", sign_state="missing")
        services.incident_record(
            actor=township_worker,
            data={"occurred_at": timezone.now() - timedelta(hours=2), "water": water, "age": 9,
                  "sex": "F", "circumstance": "alone", "activity": "playing",
                  "outcome": "rescued", "reported_by": "村民"},
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client.get(url, {"township": county.township_a.pk, "season": "summer"}).json()
    assert len(data["waters"]) == 7 and len(data["incidents"]) == 7
