"""Every user-triggered education service checks its actor itself: called directly (as a task,
an import or a command would) by the wrong user it raises PermissionDenied and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Model

from weibao.audit.models import AuditEvent
from weibao.education import coverage, services
from weibao.education.models import CoverageRule, Session, TeachingCase, Term, Topic
from weibao.education.tests.conftest import import_row, xlsx
from weibao.legalvp.models import DutyRecord

MODELS: tuple[type[Model], ...] = (
    Term,
    CoverageRule,
    Topic,
    Session,
    TeachingCase,
    DutyRecord,
    AuditEvent,
)


def _state() -> dict[str, list[dict[str, Any]]]:
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def world(make_session, make_case, term, liaison_a, appointment) -> dict[str, Any]:
    """A held session by the legal vice-principal at school A (with its duty record), a case
    proposed by school A, a published case, a term and a topic."""
    return {
        "session": make_session(speaker_kind=Session.SpeakerKind.LEGAL_VP, appointment=appointment),
        "proposed": make_case(publish=False, actor=liaison_a),
        "published": make_case(),
        "term": term,
        "topic": Topic.objects.first(),
    }


Call = Callable[[Any, dict[str, Any], Any], Any]

CALLS: dict[str, Call] = {
    "term_create": lambda actor, w, f: services.term_create(
        actor=actor, data={"name": "新学期", "start": w["term"].end, "end": w["term"].end}
    ),
    "term_update": lambda actor, w, f: services.term_update(
        actor=actor, term=w["term"], data={"name": "改名"}
    ),
    "coverage_rule_set": lambda actor, w, f: services.coverage_rule_set(
        actor=actor, term=w["term"], data={"min_pupil_sessions": 5}
    ),
    "topic_create": lambda actor, w, f: services.topic_create(actor=actor, data={"name": "新"}),
    "topic_update": lambda actor, w, f: services.topic_update(
        actor=actor, topic=w["topic"], data={"name": "改名"}
    ),
    "session_create": lambda actor, w, f: services.session_create(
        actor=actor, data=f("session_data")()
    ),
    "session_update": lambda actor, w, f: services.session_update(
        actor=actor, session=w["session"], data={"attendance": 1}
    ),
    "session_delete": lambda actor, w, f: services.session_delete(
        actor=actor, session=w["session"]
    ),
    "sessions_import": lambda actor, w, f: services.sessions_import(
        actor=actor, upload=xlsx([import_row()]), term=w["term"], school=f("school_a")
    ),
    "case_propose": lambda actor, w, f: services.case_propose(
        actor=actor,
        data={
            "title": "新",
            "summary": "某校",
            "statute": "法",
            "age_group": "all",
            "topics": [w["topic"]],
        },
    ),
    "case_update": lambda actor, w, f: services.case_update(
        actor=actor, case=w["proposed"], data={"title": "改名"}
    ),
    "case_decide": lambda actor, w, f: services.case_decide(
        actor=actor, case=w["proposed"], publish=True
    ),
    "coverage_export": lambda actor, w, f: coverage.coverage_export(
        actor=actor, report=coverage.coverage_report(w["term"]), purpose="年度统计报送"
    ),
}

# Who the rule excludes, per service: a read-only user, a user of another school, or school
# staff where only the bureau and the county coordinators may act.
WRONG: list[tuple[str, str]] = [
    ("term_create", "liaison_a"),
    ("term_create", "outsider"),
    ("term_update", "liaison_a"),
    ("coverage_rule_set", "liaison_a"),
    ("coverage_rule_set", "auditor"),
    ("topic_create", "liaison_a"),
    ("topic_update", "liaison_a"),
    ("session_create", "outsider"),
    ("session_create", "auditor"),
    ("session_update", "liaison_b"),
    ("session_update", "outsider"),
    ("session_delete", "liaison_b"),
    ("session_delete", "police"),
    ("sessions_import", "liaison_b"),
    ("sessions_import", "outsider"),
    ("case_propose", "outsider"),
    ("case_propose", "sysadmin"),
    ("case_update", "liaison_b"),
    ("case_decide", "liaison_a"),
    ("case_decide", "bureau"),
    ("coverage_export", "liaison_a"),
    ("coverage_export", "outsider"),
]


def test_every_service_is_covered() -> None:
    assert {name for name, _user in WRONG} == set(CALLS)


@pytest.mark.parametrize(("service", "user"), WRONG)
def test_wrong_actor_is_refused(request, world, service: str, user: str) -> None:
    actor = request.getfixturevalue(user)
    before = _state()
    with pytest.raises(PermissionDenied):
        CALLS[service](actor, world, request.getfixturevalue)
    assert _state() == before
