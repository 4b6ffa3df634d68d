"""Every user-triggered casework service checks its actor itself, whoever calls it.

Called directly (as a task, an import or a command would) by a user the rule excludes, each one
raises PermissionDenied and writes nothing: no record, no audit event, no notification.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import Role, User
from weibao.atrisk import services as atrisk_services
from weibao.audit.models import AuditEvent
from weibao.casework import models as m
from weibao.casework import services
from weibao.casework.tests.conftest import report_data
from weibao.core.models import Notification
from weibao.testing import make_user

TODAY = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def _frozen(time_machine: Any) -> None:
    time_machine.move_to("2025-03-10 10:00 +08:00", tick=False)


@pytest.fixture
def world(county, nurse, police, prosecutor, civil_affairs, girl, liaison_a) -> dict[str, Any]:
    case, _ = services.report_file(actor=nurse, data=report_data(county))
    case = services.case_accept(actor=police, case=case)
    referral, _ = services.referral_create(
        actor=police,
        data={"case": case, "to_unit": civil_affairs, "action": "relief", "request": "救助"},
    )
    suggestion = services.suggestion_issue(
        actor=prosecutor,
        data={"unit": county.school_a, "problem": "p", "suggestion": "s", "legal_basis": "b"},
    )
    services.suggestion_reply(
        actor=make_user("admin_sa", county.school_a, Role.UNIT_ADMIN),
        suggestion=suggestion,
        data={"reply": "r", "measures": "m"},
    )
    order = services.guardian_order_issue(
        actor=police,
        data={
            "kind": "admonition",
            "child": girl,
            "guardian_name": "李父",
            "facts": "f",
            "required_actions": "a",
        },
    )
    item = services.supervision_open(
        actor=prosecutor, data={"case": case, "deadline": date(2025, 4, 1)}
    )
    file = atrisk_services.file_open(actor=liaison_a, person=girl)
    return {
        "county": county,
        "case": case,
        "referral": referral,
        "suggestion": suggestion,
        "order": order,
        "followup": order.followups.first(),
        "item": item,
        "file": file,
        "civil_affairs": civil_affairs,
        "girl": girl,
    }


def _state() -> tuple[Any, ...]:
    """Everything a casework service writes, as counts and the records' changing fields."""
    return (
        AuditEvent.objects.count(),
        Notification.objects.count(),
        m.TimelineEntry.objects.count(),
        m.LateReport.objects.count(),
        m.Supervision.objects.filter(closed_at__isnull=True).count(),
        m.Suggestion.objects.count(),
        m.GuardianOrder.objects.count(),
        list(m.Case.objects.values_list("status", "feedback", "decision")),
        list(m.Referral.objects.values_list("status", "outcome")),
        list(m.Suggestion.objects.values_list("reply", "assessment")),
        list(m.FollowUp.objects.values_list("done_on", "outcome")),
        list(m.CaseworkSettings.objects.values_list("accept_hours")),
    )


Call = Callable[[User, dict[str, Any]], Any]

CALLS: dict[str, Call] = {
    "report_file": lambda u, w: services.report_file(actor=u, data=report_data(w["county"])),
    "case_view": lambda u, w: services.case_view(actor=u, case=w["case"]),
    "record_referral_view": lambda u, w: services.record_referral_view(
        actor=u, referral=w["referral"]
    ),
    "record_view": lambda u, w: services.record_view(
        actor=u, obj=w["order"], label=w["order"].number
    ),
    "case_accept": lambda u, w: services.case_accept(actor=u, case=w["case"]),
    "case_decide": lambda u, w: services.case_decide(
        actor=u, case=w["case"], data={"decision": "criminal"}
    ),
    "case_feedback": lambda u, w: services.case_feedback(actor=u, case=w["case"], text="t"),
    "late_report_record": lambda u, w: services.late_report_record(
        actor=u, case=w["case"], data={"unit": w["county"].school_a, "note": "n"}
    ),
    "referral_create_case": lambda u, w: services.referral_create(
        actor=u,
        data={"case": w["case"], "to_unit": w["civil_affairs"], "action": "relief", "request": "x"},
    ),
    "referral_create_file": lambda u, w: services.referral_create(
        actor=u,
        data={
            "atrisk_file": w["file"],
            "to_unit": w["civil_affairs"],
            "action": "relief",
            "request": "x",
        },
    ),
    "referral_accept": lambda u, w: services.referral_accept(actor=u, referral=w["referral"]),
    "referral_decline": lambda u, w: services.referral_decline(
        actor=u, referral=w["referral"], reason="r"
    ),
    "referral_close": lambda u, w: services.referral_close(
        actor=u, referral=w["referral"], outcome="o"
    ),
    "supervision_open": lambda u, w: services.supervision_open(
        actor=u, data={"case": w["case"], "deadline": date(2025, 4, 1)}
    ),
    "supervision_close": lambda u, w: services.supervision_close(actor=u, item=w["item"], note=""),
    "suggestion_issue": lambda u, w: services.suggestion_issue(
        actor=u,
        data={"unit": w["county"].school_a, "problem": "p", "suggestion": "s", "legal_basis": "b"},
    ),
    "suggestion_reply": lambda u, w: services.suggestion_reply(
        actor=u, suggestion=w["suggestion"], data={"reply": "x", "measures": "y"}
    ),
    "suggestion_assess": lambda u, w: services.suggestion_assess(
        actor=u, suggestion=w["suggestion"], data={"assessment": "adopted"}
    ),
    "suggestion_document": lambda u, w: services.suggestion_document(
        actor=u, suggestion=w["suggestion"]
    ),
    "guardian_order_issue": lambda u, w: services.guardian_order_issue(
        actor=u,
        data={
            "kind": "admonition",
            "child": w["girl"],
            "guardian_name": "x",
            "facts": "f",
            "required_actions": "a",
        },
    ),
    "followup_record": lambda u, w: services.followup_record(
        actor=u, followup=w["followup"], data={"done_on": TODAY, "outcome": "o"}
    ),
    "order_document": lambda u, w: services.order_document(actor=u, order=w["order"]),
    "settings_update": lambda u, w: services.settings_update(actor=u, data={"accept_hours": 5}),
}

# Who the rule excludes: the hotel clerk (a unit with no part), school B's liaison (another
# jurisdiction) and the auditor (no children's data).
WRONG = ["outsider", "liaison_b", "auditor"]
# Every unit that may write must report (强制报告): school B's liaison may file a report.
ALLOWED = {("report_file", "liaison_b")}
CASES = [(name, who) for name in sorted(CALLS) for who in WRONG if (name, who) not in ALLOWED]


@pytest.mark.parametrize(("name", "who"), CASES)
def test_wrong_actor_is_refused_and_nothing_changes(name, who, world, request) -> None:
    actor = request.getfixturevalue(who)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[name](actor, world)
    assert _state() == before


@pytest.mark.parametrize(
    "name",
    [
        "case_accept",
        "case_decide",
        "case_feedback",
        "late_report_record",
        "supervision_open",
        "supervision_close",
        "suggestion_issue",
        "suggestion_assess",
        "guardian_order_issue",
        "settings_update",
    ],
)
def test_the_reporting_unit_may_not_take_the_authorities_steps(name, world, nurse) -> None:
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[name](nurse, world)
    assert _state() == before


def test_referral_create_is_guarded_for_a_read_only_user(world, county) -> None:
    """The known gap: referral_create called directly used to refer for anyone."""
    reader = make_user("reader_police", county.police_a, Role.READ_ONLY)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS["referral_create_case"](reader, world)
    assert _state() == before
