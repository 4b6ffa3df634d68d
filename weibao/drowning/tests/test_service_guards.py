"""Every user-triggered drowning service checks its actor itself: called directly by the wrong
user it raises PermissionDenied and writes nothing. The scheduler's services take no actor."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from weibao.audit.models import AuditEvent
from weibao.core.models import Attachment
from weibao.drowning import services
from weibao.drowning.models import (
    Assignment,
    Contact,
    Custodian,
    HazardousWater,
    Incident,
    LetterReceipt,
    ParentLetter,
    Patrol,
    PatrolPlan,
    Rectification,
    SignInspection,
    SignInspectionItem,
    TownshipMap,
)
from weibao.drowning.tests.conftest import water_data
from weibao.testing import xlsx_upload

MODELS = (
    HazardousWater, Custodian, Patrol, Rectification, Incident, PatrolPlan, TownshipMap,
    ParentLetter, LetterReceipt, Assignment, Contact, SignInspection, SignInspectionItem,
    AuditEvent,
)  # fmt: skip
GEOJSON = (
    b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
    b'{"name": "A"}, "geometry": {"type": "Polygon", "coordinates": '
    b"[[[115.8, 27.4], [115.9, 27.4], [115.9, 27.5], [115.8, 27.4]]]}}]}"
)


SIGN_HEADER = {"year": 2026, "inspected_on": date(2026, 7, 10), "inspected_by": "王老师"}


def _state():
    rows = [list(m._default_manager.order_by("pk").values()) for m in MODELS]
    return [*rows, Attachment.objects.count()]


@pytest.fixture
def world(
    water, township_worker, county, letter, assignment, pupils, school_a, teacher_a, liaison_a
):
    services.patrol_record(
        actor=township_worker,
        water=water,
        data={"patrolled_at": timezone.now() - timedelta(hours=1), "patroller": "张",
              "sign_state": "missing", "pole_state": "ok", "rope_state": "ok",
              "ring_state": "ok", "people_in_water": 0},
    )  # fmt: skip
    custodian = services.custodian_create(
        actor=township_worker,
        data={"name": "王", "phone": "13800001234", "township": county.township_a,
              "summer": True, "waters": [water]},
    )  # fmt: skip
    inspection = services.sign_inspection_save(
        actor=liaison_a, school=school_a, data=SIGN_HEADER, items=[]
    )
    return {"water": water, "custodian": custodian, "county": county,
            "inspection": inspection,
            "rectification": Rectification.objects.get(), "letter": letter,
            "assignment": assignment, "pupils": pupils, "school_a": school_a,
            "teacher_a": teacher_a}  # fmt: skip


CALLS = {
    "water_create": lambda a, w: services.water_create(
        actor=a, data=water_data(w["county"], name="新塘")
    ),
    "water_update": lambda a, w: services.water_update(
        actor=a, water=w["water"], data={"risk": "low"}
    ),
    "waters_import": lambda a, w: services.waters_import(
        actor=a, upload=xlsx_upload(["Water name"], [["x"]])
    ),
    "waters_export": lambda a, w: services.waters_export(actor=a),
    "custodian_create": lambda a, w: services.custodian_create(
        actor=a,
        data={
            "name": "李",
            "phone": "13800001234",
            "township": w["county"].township_a,
            "summer": True,
            "waters": [],
        },
    ),
    "custodian_update": lambda a, w: services.custodian_update(
        actor=a, custodian=w["custodian"], data={"name": "李"}
    ),
    "patrol_record": lambda a, w: services.patrol_record(
        actor=a, water=w["water"], data={"patrolled_at": timezone.now(), "patroller": "x"}
    ),
    "rectification_close": lambda a, w: services.rectification_close(
        actor=a, rectification=w["rectification"], note="已经修好了"
    ),
    "incident_record": lambda a, w: services.incident_record(
        actor=a,
        data={
            "occurred_at": timezone.now(),
            "water": w["water"],
            "age": 5,
            "sex": "F",
            "circumstance": "alone",
            "activity": "fell_in",
            "outcome": "died",
            "reported_by": "x",
        },
    ),
    "patrol_plan_set": lambda a, w: services.patrol_plan_set(
        actor=a,
        data={
            "high_peak_days": 2,
            "high_other_days": 7,
            "medium_peak_days": 7,
            "medium_other_days": 30,
        },
    ),
    "township_map_upload": lambda a, w: services.township_map_upload(
        actor=a, upload=io.BytesIO(GEOJSON), name="t.geojson"
    ),
    "letter_create": lambda a, w: services.letter_create(
        actor=a, school=w["school_a"],
        data={"year": 2026, "season": "winter", "issued_on": date(2026, 7, 1)},
    ),
    "letter_download": lambda a, w: services.letter_download(actor=a, letter=w["letter"]),
    "receipts_set": lambda a, w: services.receipts_set(
        actor=a, letter=w["letter"], shown=[w["pupils"][0].pk], received=[w["pupils"][0].pk],
        received_on=date(2026, 7, 2),
    ),
    "receipts_import": lambda a, w: services.receipts_import(
        actor=a, letter=w["letter"],
        upload=xlsx_upload(["ID number"], [[w["pupils"][0].id_number]]),
    ),
    "assignment_create": lambda a, w: services.assignment_create(
        actor=a,
        data={"child": w["pupils"][1], "assignee": w["teacher_a"], "year": 2026,
              "season": "summer"},
    ),
    "contact_log": lambda a, w: services.contact_log(
        actor=a, assignment=w["assignment"],
        data={"contacted_on": date(2026, 7, 14), "way": "phone"},
    ),
    "sign_inspection_save": lambda a, w: services.sign_inspection_save(
        actor=a, school=w["school_a"], data=SIGN_HEADER,
        items=[{"water": w["water"].pk, "sign_state": "missing", "pole_state": "ok",
                "rope_state": "ok", "ring_state": "ok"}],
    ),
    "sign_inspection_submit": lambda a, w: services.sign_inspection_submit(
        actor=a, inspection=w["inspection"]
    ),
    "sign_report_download": lambda a, w: services.sign_report_download(
        actor=a, inspection=w["inspection"]
    ),
}  # fmt: skip
# The wrong actor for each: a school (reads its catchment, writes nothing), the other township.
WRONG = {
    "water_create": "liaison_a", "water_update": "township_b_worker", "waters_import": "edu_reader",
    "waters_export": "outsider", "custodian_create": "village_clerk",
    "custodian_update": "township_b_worker", "patrol_record": "liaison_a",
    "rectification_close": "village_clerk", "incident_record": "village_clerk",
    "patrol_plan_set": "township_worker", "township_map_upload": "coordinator",
    "letter_create": "liaison_b", "letter_download": "township_b_worker",
    "receipts_set": "edu_reader", "receipts_import": "liaison_b",
    "assignment_create": "liaison_b", "contact_log": "village_clerk",
    "sign_inspection_save": "liaison_b", "sign_inspection_submit": "township_worker",
    "sign_report_download": "liaison_b",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("extra", ["sysadmin", "auditor"])
def test_wrong_actor_refused(request, world, name, extra) -> None:
    for user in (WRONG[name], extra):
        actor = request.getfixturevalue(user)
        before = _state()
        with pytest.raises(PermissionDenied):
            CALLS[name](actor, world)
        assert _state() == before
