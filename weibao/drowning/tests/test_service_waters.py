"""The registry's services: create with distances and catchments, refusals, custodians."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.audit.models import AuditEvent
from weibao.drowning import services
from weibao.drowning.models import Catchment, Custodian, HazardousWater
from weibao.drowning.tests.conftest import water_data


def test_create_computes_nearest_school_and_catchment(water, school_a, school_b) -> None:
    assert water.nearest_school == school_a
    # 0.01° of latitude on the mean sphere.
    assert water.school_distance_m == 1112
    assert list(Catchment.objects.filter(water=water).values_list("school_id", flat=True)) == [
        school_a.pk
    ]
    assert AuditEvent.objects.filter(detail__operation="water_create").count() == 1


def test_outside_county_is_refused(county, water_bureau, school_a, school_b) -> None:
    with pytest.raises(ValidationError) as caught:
        services.water_create(
            actor=water_bureau, data=water_data(county, latitude="30.0", longitude="115.83")
        )
    assert "outside the county" in str(caught.value.message_dict["latitude"])
    assert not HazardousWater.objects.exists()


def test_setting_box(settings, county, water_bureau, school_a) -> None:
    settings.DROWNING_COUNTY_BBOX = (115.0, 27.0, 116.5, 28.0)
    water = services.water_create(
        actor=water_bureau, data=water_data(county, latitude="27.9", longitude="116.4")
    )
    assert water.pk


def test_bad_polygon_and_township_as_village(county, water_bureau, school_a) -> None:
    with pytest.raises(ValidationError) as caught:
        services.water_create(
            actor=water_bureau,
            data=water_data(county, village=county.township_a, polygon="{}"),
        )
    assert set(caught.value.message_dict) >= {"village", "polygon"}


def test_township_keeps_only_its_own(county, township_worker, school_a) -> None:
    water = services.water_create(actor=township_worker, data=water_data(county))
    assert water.village == county.village_a
    with pytest.raises(ValidationError) as caught:
        services.water_create(
            actor=township_worker, data=water_data(county, name="公溪塘", village=county.village_b)
        )
    assert "outside your area" in str(caught.value.message_dict["village"])


def test_duplicate_name_in_village(water, county, water_bureau) -> None:
    with pytest.raises(ValidationError) as caught:
        services.water_create(actor=water_bureau, data=water_data(county))
    assert "name" in caught.value.message_dict


def test_update_audits_changes(water, water_bureau) -> None:
    services.water_update(actor=water_bureau, water=water, data={"risk": "low", "name": "前塘"})
    event = AuditEvent.objects.get(detail__operation="water_update")
    assert set(event.detail["changes"]) == {"risk", "water_name"}


def test_school_cannot_create(county, liaison_a, school_a) -> None:
    with pytest.raises(PermissionDenied):
        services.water_create(actor=liaison_a, data=water_data(county))


def test_custodian_create_and_phone(water, county, township_worker) -> None:
    data = {"name": "王大伯", "phone": "138 0000 1234", "township": county.township_a,
            "after_school": True, "weekends": False, "holidays": False, "summer": True,
            "waters": [water]}  # fmt: skip
    custodian = services.custodian_create(actor=township_worker, data=data)
    assert custodian.phone == "13800001234"
    assert list(custodian.waters.all()) == [water]
    with pytest.raises(ValidationError) as caught:
        services.custodian_create(actor=township_worker, data={**data, "phone": "12"})
    assert "phone" in caught.value.message_dict
    assert Custodian.objects.count() == 1


def test_custodian_water_outside_township(water, county, township_b_worker) -> None:
    data = {"name": "李", "phone": "13800001234", "township": county.township_b,
            "summer": True, "waters": [water]}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.custodian_create(actor=township_b_worker, data=data)
    assert "waters" in caught.value.message_dict


def test_catchments_recompute(water, school_a) -> None:
    assert services.catchments_recompute() == 0
    school_a.latitude = school_a.latitude + 1
    school_a.save()
    assert services.catchments_recompute() == 1
    water.refresh_from_db()
    assert not Catchment.objects.filter(water=water, school=school_a).exists()
