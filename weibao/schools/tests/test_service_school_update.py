from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.accounts.models import Organisation
from weibao.audit.models import AuditEvent
from weibao.schools.models import School
from weibao.schools.services import school_update


def test_bureau_changes_everything(county, education, record_a) -> None:
    school_update(
        actor=education,
        school=record_a,
        data={"name": "鳌溪镇第一小学", "kind": School.Kind.NINE_YEAR, "division": county.village_b,
              "ownership": School.Ownership.PRIVATE},
    )  # fmt: skip
    record_a.refresh_from_db()
    unit = record_a.organisation
    unit.refresh_from_db()
    assert unit.name == "鳌溪镇第一小学"
    assert unit.kind == Organisation.Kind.SCHOOL_SECONDARY
    assert unit.division == county.village_b
    assert record_a.kind == School.Kind.NINE_YEAR
    assert record_a.ownership == School.Ownership.PRIVATE
    event = AuditEvent.objects.get(target_type="accounts.organisation")
    assert event.detail["changes"]["unit_name"] == ["鳌溪镇中心小学", "鳌溪镇第一小学"]


def test_school_admin_changes_contact_fields(admin_a, record_a) -> None:
    school_update(
        actor=admin_a,
        school=record_a,
        data={"principal_name": "赵校长", "principal_phone": "0794-1234567", "pupil_count": 310,
              "kind": record_a.kind},
    )  # fmt: skip
    record_a.refresh_from_db()
    assert record_a.principal_name == "赵校长"
    assert record_a.principal_phone == "0794-1234567"
    assert record_a.pupil_count == 310


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "junior"), ("ownership", "private"), ("name", "新名字"), ("division", "village_b")],
)
def test_school_admin_cannot_change_the_record(county, admin_a, record_a, field, value) -> None:
    if value == "village_b":
        value = county.village_b
    with pytest.raises(ValidationError) as caught:
        school_update(actor=admin_a, school=record_a, data={field: value, "pupil_count": 1})
    assert caught.value.message_dict[field] == ["Only the education bureau may change this."]
    record_a.refresh_from_db()
    assert record_a.pupil_count == 300
    assert record_a.kind == School.Kind.PRIMARY


def test_bad_phone_leaves_the_record(education, record_a) -> None:
    with pytest.raises(ValidationError) as caught:
        school_update(actor=education, school=record_a, data={"principal_phone": "123"})
    assert "principal_phone" in caught.value.message_dict
    assert record_a.principal_phone == "13800000001"
    record_a.refresh_from_db()
    assert record_a.principal_phone == "13800000001"


def test_no_change_no_event(education, record_a) -> None:
    school_update(actor=education, school=record_a, data={"pupil_count": 300})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


@pytest.mark.parametrize("name", ["liaison_a", "liaison_b", "outsider", "police"])
def test_not_allowed(request, record_a, name) -> None:
    with pytest.raises(PermissionDenied):
        school_update(actor=request.getfixturevalue(name), school=record_a, data={"pupil_count": 1})


def test_other_schools_admin_not_allowed(admin_a, record_b) -> None:
    with pytest.raises(PermissionDenied):
        school_update(actor=admin_a, school=record_b, data={"pupil_count": 1})
