from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Organisation
from weibao.audit.models import AuditEvent
from weibao.lib import creditcode
from weibao.schools.models import School
from weibao.schools.services import school_create

CODE = creditcode.make("12", "361025", "MB0000009")


def _data(county, **extra):
    data = {
        "name": "鳌溪村小学",
        "credit_code": CODE.lower(),
        "kind": School.Kind.PRIMARY,
        "ownership": School.Ownership.PUBLIC,
        "division": county.village_a,
        "latitude": "27.4312345",
        "longitude": "115.83",
        "pupil_count": 120,
        "principal_name": " 李  校长 ",
        "principal_phone": "+86 139-0000-0002",
    }
    data.update(extra)
    return data


def test_creates_the_unit_and_the_record(county, education) -> None:
    school = school_create(actor=education, data=_data(county))
    unit = school.organisation
    assert unit.name == "鳌溪村小学"
    assert unit.kind == Organisation.Kind.SCHOOL_PRIMARY
    assert unit.parent == county.education
    assert unit.division == county.village_a
    assert unit.credit_code == CODE
    assert school.principal_phone == "13900000002"
    assert school.principal_name == "李 校长"
    assert school.latitude == Decimal("27.431235")
    events = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE)
    assert {e.target_type for e in events} == {"accounts.organisation", "schools.school"}


def test_unit_kind_follows_the_school_kind(county, coordinator) -> None:
    school = school_create(actor=coordinator, data=_data(county, kind=School.Kind.SENIOR))
    assert school.organisation.kind == Organisation.Kind.SCHOOL_SECONDARY


def test_credit_code_is_optional(county, education) -> None:
    school = school_create(actor=education, data=_data(county, credit_code=""))
    assert school.organisation.credit_code == ""


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"credit_code": "12361025MB000000X"}, "credit_code", "18 characters"),
        ({"name": "鳌溪镇中学"}, "name", None),
        ({"name": "  "}, "name", "Give the school's name."),
        ({"kind": "university"}, "kind", None),
        ({"principal_phone": "12345"}, "principal_phone", None),
        ({"latitude": "127.4"}, "latitude", "not within China"),
        ({"longitude": ""}, "longitude", "Give both"),
        ({"latitude": "north"}, "latitude", "number of degrees"),
        ({"division": None}, "division", None),
        ({"pupil_count": -3}, "pupil_count", None),
    ],
)
def test_bad_input_names_the_field(county, education, extra, field, text) -> None:
    Organisation.objects.create(name="鳌溪镇中学", kind="hotel", division=county.village_a)
    units = Organisation.objects.count()
    with pytest.raises(ValidationError) as caught:
        school_create(actor=education, data=_data(county, **extra))
    assert field in caught.value.message_dict
    if text:
        assert any(text in message for message in caught.value.message_dict[field])
    assert Organisation.objects.count() == units
    assert not School.objects.exists()


def test_county_is_not_a_place_for_a_school(county, education) -> None:
    with pytest.raises(ValidationError) as caught:
        school_create(actor=education, data=_data(county, division=county.county))
    assert "division" in caught.value.message_dict


def test_duplicate_credit_code(county, education, record_a) -> None:
    with pytest.raises(ValidationError) as caught:
        school_create(
            actor=education, data=_data(county, credit_code=record_a.organisation.credit_code)
        )
    assert caught.value.message_dict["credit_code"] == [
        "Another unit already has this credit code."
    ]


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider", "sysadmin", "police"])
def test_not_allowed(request, county, name) -> None:
    with pytest.raises(PermissionDenied):
        school_create(actor=request.getfixturevalue(name), data=_data(county))
    assert not School.objects.exists()


def test_files_a_record_for_an_existing_school_unit(county, education) -> None:
    school = school_create(
        actor=education, data=_data(county, name=county.school_a.name), unit=county.school_a
    )
    assert school.organisation_id == county.school_a.pk
    assert Organisation.objects.filter(name=county.school_a.name).count() == 1
