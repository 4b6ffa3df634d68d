"""Every user-triggered service checks its actor itself: called directly (by an import, a task, a
command) with a wrong actor it raises PermissionDenied and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import Role, User
from weibao.audit.models import AuditEvent
from weibao.core.models import Job
from weibao.staffchecks import services
from weibao.staffchecks.models import (
    CheckBatch,
    CheckItem,
    OffenderRecord,
    RegisterImport,
    RosterUpload,
    StaffMember,
)
from weibao.staffchecks.tests.conftest import ROSTER_HEADER
from weibao.staffchecks.tests.test_views import done_batch  # noqa: F401  (fixture)
from weibao.testing import County, id_for, make_user, xlsx_upload

REGISTER_HEADER = [str(column.header) for column in services.REGISTER_COLUMNS]


@pytest.fixture
def world(
    county: County,
    admin_a: User,
    liaison_a: User,
    liaison_b: User,
    police: User,
    edu_user: User,
    roster_a: list[StaffMember],
    done_batch: CheckBatch,  # noqa: F811
) -> dict[str, Any]:
    open_batch = services.batch_create(
        actor=admin_a,
        unit=county.school_a,
        kind=CheckBatch.Kind.NEW_HIRE,
        consent_confirmed=True,
        staff=roster_a[2:],
    )
    bad_file = xlsx_upload(
        ROSTER_HEADER,
        [
            ["赵六", id_for(date(1986, 4, 2), 31), "teacher", "2020-09-01", ""],
            ["x", "1", "", "", ""],
        ],
    )
    upload = services.roster_upload(actor=admin_a, unit=county.school_a, upload=bad_file)
    return {
        "county": county,
        "admin_a": admin_a,
        "liaison_a": liaison_a,
        "liaison_b": liaison_b,
        "police": police,
        "edu_user": edu_user,
        "read_only_a": make_user("read_only_a", county.school_a, Role.READ_ONLY),
        "staff": roster_a[2],
        "done": done_batch,
        "open": open_batch,
        "upload": upload,
        "barred": done_batch.items.get(result=CheckItem.Result.BARRED),
        "possible": done_batch.items.get(result=CheckItem.Result.POSSIBLE),
    }


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        Job.objects.count(),
        RegisterImport.objects.count(),
        OffenderRecord.objects.count(),
        RosterUpload.objects.count(),
        sorted(RosterUpload.objects.values_list("pk", "status")),
        sorted(StaffMember.objects.values_list("pk", "status", "end_date")),
        sorted(CheckBatch.objects.values_list("pk", "status", "barred_count", "pending_count")),
        sorted(CheckItem.objects.values_list("pk", "result", "action")),
    )


def _roster_file() -> Any:
    return xlsx_upload(
        ROSTER_HEADER, [["钱七", id_for(date(1987, 5, 3), 41), "teacher", "2021-09-01", ""]]
    )


def _national_file(w: dict[str, Any]) -> Any:
    return xlsx_upload(["ID number", "Result"], [[w["staff"].person.id_number, "hit"]])


def _register_file() -> Any:
    return xlsx_upload(REGISTER_HEADER, [["孙三", id_for(date(1970, 1, 1), 1), "", "sexual"]])


Call = Callable[[User, dict[str, Any]], Any]

CASES: list[tuple[str, str, Call]] = [
    *(
        (
            "roster_upload",
            who,
            lambda a, w: services.roster_upload(
                actor=a, unit=w["county"].school_a, upload=_roster_file()
            ),
        )
        for who in ("liaison_b", "read_only_a", "edu_user")
    ),
    *(
        (
            "roster_upload_import",
            who,
            lambda a, w: services.roster_upload_import(actor=a, roster=w["upload"]),
        )
        for who in ("liaison_b", "read_only_a")
    ),
    (
        "roster_upload_errors_bytes",
        "liaison_b",
        lambda a, w: services.roster_upload_errors_bytes(actor=a, roster=w["upload"]),
    ),
    *(
        (
            "staff_add",
            who,
            lambda a, w: services.staff_add(
                actor=a,
                unit=w["county"].school_a,
                data={
                    "name": "钱七",
                    "id_number": id_for(date(1987, 5, 3), 41),
                    "role": "teacher",
                    "start_date": date(2021, 9, 1),
                },
            ),
        )
        for who in ("liaison_b", "read_only_a")
    ),
    *(
        ("staff_mark_left", who, lambda a, w: services.staff_mark_left(actor=a, staff=w["staff"]))
        for who in ("liaison_b", "read_only_a")
    ),
    *(
        (
            "register_import",
            who,
            lambda a, w: services.register_import(actor=a, upload=_register_file()),
        )
        for who in ("admin_a", "edu_user", "liaison_b")
    ),
    *(
        (
            "batch_create",
            who,
            lambda a, w: services.batch_create(
                actor=a,
                unit=w["county"].school_a,
                kind=CheckBatch.Kind.NEW_HIRE,
                consent_confirmed=True,
                staff=[w["staff"]],
            ),
        )
        for who in ("liaison_b", "read_only_a", "police")
    ),
    *(
        ("annual_open_all", who, lambda a, w: services.annual_open_all(year=2031, actor=a))
        for who in ("liaison_a", "police", "read_only_a")
    ),
    *(
        (
            "batches_run_start",
            who,
            lambda a, w: services.batches_run_start(actor=a, batches=[w["open"]]),
        )
        for who in ("liaison_b", "read_only_a", "police")
    ),
    *(
        ("batch_view", who, lambda a, w: services.batch_view(actor=a, batch=w["done"]))
        for who in ("liaison_b", "police")
    ),
    *(
        (
            "national_results_enter",
            who,
            lambda a, w: services.national_results_enter(
                actor=a, batch=w["open"], upload=_national_file(w)
            ),
        )
        for who in ("liaison_b", "read_only_a")
    ),
    *(
        (
            "item_confirm",
            who,
            lambda a, w: services.item_confirm(actor=a, item=w["possible"], barred=True),
        )
        for who in ("admin_a", "edu_user", "liaison_b")
    ),
    *(
        (
            "item_record_action",
            who,
            lambda a, w: services.item_record_action(
                actor=a, item=w["barred"], action=CheckItem.Action.DISMISSED
            ),
        )
        for who in ("liaison_b", "read_only_a", "edu_user")
    ),
    *(
        ("batch_letter", who, lambda a, w: services.batch_letter(actor=a, batch=w["done"]))
        for who in ("liaison_b", "police")
    ),
    (
        "batch_letter (one person)",
        "liaison_b",
        lambda a, w: services.batch_letter(actor=a, batch=w["done"], item=w["barred"]),
    ),
    *(
        ("matches_view", who, lambda a, w: services.matches_view(actor=a, items=[w["possible"]]))
        for who in ("admin_a", "edu_user")
    ),
    *(
        (
            "compliance_export",
            who,
            lambda a, w: services.compliance_export(actor=a, purpose="yearly report to the county"),
        )
        for who in ("admin_a", "police", "liaison_b")
    ),
]


@pytest.mark.parametrize(
    ("service", "who", "call"), CASES, ids=[f"{name}-{who}" for name, who, _call in CASES]
)
def test_a_wrong_actor_is_refused_and_nothing_changes(
    world: dict[str, Any], service: str, who: str, call: Call
) -> None:
    before = _state()
    with pytest.raises(PermissionDenied):
        call(world[who], world)
    assert _state() == before


def test_every_user_triggered_service_is_covered() -> None:
    user_triggered = {
        "roster_upload", "roster_upload_import", "roster_upload_errors_bytes", "staff_add",
        "staff_mark_left", "register_import", "batch_create", "annual_open_all",
        "batches_run_start", "batch_view", "national_results_enter", "item_confirm",
        "item_record_action", "batch_letter", "matches_view", "compliance_export",
    }  # fmt: skip
    assert {name.split(" ")[0] for name, _who, _call in CASES} == user_triggered
