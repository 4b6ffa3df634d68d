"""Incidents: the child from the register or unregistered, no future, a death's review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.drowning import services
from weibao.drowning.models import DeathReview, Incident
from weibao.people.models import Person
from weibao.testing import id_for


def incident_data(water, **extra):
    data = {"occurred_at": timezone.now() - timedelta(hours=2), "water": water, "age": 9,
            "sex": "M", "circumstance": "alone", "activity": "swimming", "outcome": "rescued",
            "reported_by": "村民"}  # fmt: skip
    data.update(extra)
    return data


def test_unregistered_child(water, township_worker) -> None:
    incident = services.incident_record(actor=township_worker, data=incident_data(water))
    assert incident.division == water.village and incident.person is None
    assert not DeathReview.objects.exists()


def test_registered_child_by_id(water, township_worker, county) -> None:
    number = id_for(date(2016, 5, 1), 11)
    person = Person(
        name="李小龙",
        sex="M",
        birth_date=date(2016, 5, 1),
        division=county.village_a,
        registered_by=county.township_gov_a,
    )
    person.set_id_number(number)
    person.save()
    incident = services.incident_record(
        actor=township_worker, data=incident_data(water, id_number=number, age=None, sex="")
    )
    assert incident.person == person and incident.age == 10


def test_id_not_visible(water, county, water_bureau) -> None:
    number = id_for(date(2016, 5, 1), 12)
    with pytest.raises(ValidationError) as caught:
        services.incident_record(actor=water_bureau, data=incident_data(water, id_number=number))
    assert "id_number" in caught.value.message_dict


def test_future_and_adult_refused(water, township_worker) -> None:
    with pytest.raises(ValidationError) as caught:
        services.incident_record(
            actor=township_worker,
            data=incident_data(water, occurred_at=timezone.now() + timedelta(hours=1), age=19),
        )
    assert {"occurred_at", "age"} <= set(caught.value.message_dict)
    assert not Incident.objects.exists()


def test_place_outside_county(water, township_worker, county) -> None:
    data = incident_data(None, place="河边", division=county.village_a, latitude="40",
                         longitude="116")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.incident_record(actor=township_worker, data=data)
    assert "outside the county" in str(caught.value.message_dict["latitude"])


def test_township_cannot_record_elsewhere(water, township_worker, county) -> None:
    data = incident_data(None, place="河边", division=county.village_b)
    with pytest.raises(ValidationError) as caught:
        services.incident_record(actor=township_worker, data=data)
    assert "division" in caught.value.message_dict


def test_death_review_keeps_measures(water, township_worker) -> None:
    services.patrol_record(
        actor=township_worker,
        water=water,
        data={"patrolled_at": timezone.now() - timedelta(days=1), "patroller": "张",
              "sign_state": "ok", "pole_state": "missing", "rope_state": "ok",
              "ring_state": "ok", "people_in_water": 0},
    )  # fmt: skip
    services.custodian_create(
        actor=township_worker,
        data={"name": "王", "phone": "13800001234", "township": water.village.parent,
              "summer": True, "waters": [water]},
    )  # fmt: skip
    incident = services.incident_record(
        actor=township_worker, data=incident_data(water, outcome="died")
    )
    review = incident.review
    assert review.pole_state == "missing" and review.sign_state == "ok"
    assert review.custodian_count == 1 and review.open_rectifications == 1
    assert "missing or damaged" in review.findings
