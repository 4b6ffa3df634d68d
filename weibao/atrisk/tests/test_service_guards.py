"""Every service a user triggers checks the actor's permission itself: called directly (as a
task, an import or a command would) by the wrong actor, it raises PermissionDenied and changes
nothing. The scheduler's services (services.nightly, file_close(actor=None)) have no actor."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import Role
from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, Behaviour, RiskWarning
from weibao.atrisk.tests.conftest import make_person, report, years_ago
from weibao.audit.models import AuditEvent
from weibao.testing import make_user

NOW = datetime(2026, 4, 20, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = date(2026, 4, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(county, liaison_a, coordinator, pupil_a) -> dict[str, Any]:
    event = report(liaison_a, [pupil_a], "BL02")
    file = AtRiskFile.objects.select_related("person").get(person=pupil_a)
    measure = services.measure_record(
        actor=liaison_a, file=file, data={"kind": "SM01", "decided_on": TODAY}
    )
    factor = services.risk_factor_add(actor=liaison_a, file=file, kind="hardship")
    warning = RiskWarning.objects.create(file=file, kind=RiskWarning.Kind.RETURNED, key="g")
    application = services.sealed_query_apply(
        actor=liaison_a, file=file, legal_basis="刑事诉讼法第286条", purpose="办案需要"
    )
    newcomer = make_person(
        "新来生", county.school_a, birth_date=years_ago(12), seq=91, school=county.school_a
    )
    return {
        "county": county,
        "file": file,
        "event": event,
        "measure": measure,
        "factor": factor,
        "warning": warning,
        "application": application,
        "newcomer": newcomer,
        "pupil": pupil_a,
    }


def state() -> tuple[Any, ...]:
    """Every at-risk row and every audit event, as values: a refused call changes none."""
    rows: list[Any] = [list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True))]
    for model in apps.get_app_config("atrisk").get_models():
        rows.append(sorted(map(str, model._default_manager.order_by("pk").values())))
    return tuple(rows)


Call = Callable[[dict[str, Any], Any], Any]

SERVICES: dict[str, Call] = {
    "file_open": lambda w, a: services.file_open(actor=a, person=w["newcomer"]),
    "file_view": lambda w, a: services.file_view(actor=a, file=w["file"]),
    "file_reveal": lambda w, a: services.file_reveal(
        actor=a, file=w["file"], field="id_number", reason="核实身份信息"
    ),
    "file_assign": lambda w, a: services.file_assign(actor=a, file=w["file"], worker=a),
    "file_close": lambda w, a: services.file_close(actor=a, file=w["file"], reason="improved"),
    "file_refer": lambda w, a: services.file_refer(
        actor=a, file=w["file"], unit=w["county"].police_a
    ),
    "event_record": lambda w, a: services.event_record(
        actor=a,
        people=[w["pupil"]],
        data={"occurred_on": TODAY, "behaviours": list(Behaviour.objects.filter(code="BL01"))},
    ),
    "event_share": lambda w, a: services.event_share(
        actor=a, event=w["event"], unit=w["county"].police_a
    ),
    "record_seal": lambda w, a: services.record_seal(actor=a, obj=w["event"], reason="依法封存"),
    "record_unseal": lambda w, a: services.record_unseal(
        actor=a, obj=w["measure"], reason="依法解除封存"
    ),
    "risk_factor_add": lambda w, a: services.risk_factor_add(
        actor=a, file=w["file"], kind="truancy"
    ),
    "risk_factor_end": lambda w, a: services.risk_factor_end(actor=a, factor=w["factor"]),
    "measure_record": lambda w, a: services.measure_record(
        actor=a, file=w["file"], data={"kind": "SM02", "decided_on": TODAY}
    ),
    "plan_update": lambda w, a: services.plan_update(
        actor=a, file=w["file"], data={"goals": "按时到校"}
    ),
    "contact_record": lambda w, a: services.contact_record(
        actor=a, file=w["file"], data={"kind": "talk"}
    ),
    "review_record": lambda w, a: services.review_record(
        actor=a, file=w["file"], summary="本学期明显好转"
    ),
    "warning_resolve": lambda w, a: services.warning_resolve(actor=a, warning=w["warning"]),
    "sealed_query_apply": lambda w, a: services.sealed_query_apply(
        actor=a, file=w["file"], legal_basis="刑事诉讼法第286条", purpose="办案需要"
    ),
    "sealed_query_decide": lambda w, a: services.sealed_query_decide(
        actor=a,
        application=w["application"],
        approve=True,
        expires_on=TODAY + timedelta(days=7),
    ),
    "ruleset_update": lambda w, a: services.ruleset_update(
        actor=a, data={"weight_factor": 2}, note="调整权重系数"
    ),
    "file_export": lambda w, a: services.file_export(
        actor=a, files=AtRiskFile.objects.all(), purpose="年度统计报表"
    ),
}

# Who each rule excludes: outside at-risk work, another school, read-only, not the county.
WRITERS_ON_FILE = ["outsider", "sysadmin", "liaison_b", "viewer_a"]
READERS_OF_FILE = ["outsider", "auditor", "liaison_b"]
WRONG: dict[str, list[str]] = {
    "file_open": ["outsider", "sysadmin", "viewer_a"],
    "file_view": READERS_OF_FILE,
    "file_reveal": READERS_OF_FILE,
    "file_assign": WRITERS_ON_FILE,
    "file_close": WRITERS_ON_FILE,
    "file_refer": WRITERS_ON_FILE,
    "event_record": ["outsider", "auditor", "viewer_a"],
    "event_share": WRITERS_ON_FILE,
    "record_seal": ["outsider", "liaison_b", "viewer_a", "police"],
    "record_unseal": ["outsider", "liaison_b", "viewer_a", "police"],
    "risk_factor_add": WRITERS_ON_FILE,
    "risk_factor_end": WRITERS_ON_FILE,
    "measure_record": WRITERS_ON_FILE,
    "plan_update": WRITERS_ON_FILE,
    "contact_record": WRITERS_ON_FILE,
    "review_record": WRITERS_ON_FILE,
    "warning_resolve": WRITERS_ON_FILE,
    "sealed_query_apply": READERS_OF_FILE,
    "sealed_query_decide": ["liaison_a", "police", "outsider", "sysadmin"],
    "ruleset_update": ["liaison_a", "police", "sysadmin"],
    "file_export": ["outsider", "sysadmin", "auditor"],
}


def test_every_user_service_is_listed():
    triggered = {
        name
        for name in services.__all__
        if inspect.isfunction(getattr(services, name))
        and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    readers = {"measure_categories_for", "behaviours_for", "files_regrade", "may_see_sealed_grade"}
    assert triggered - readers == set(SERVICES)
    assert set(WRONG) == set(SERVICES)


@pytest.mark.parametrize(
    ("service", "who"), [(name, who) for name, users in WRONG.items() for who in users]
)
def test_wrong_actor_is_refused_and_nothing_changes(request, county, world, service, who):
    if who == "viewer_a":
        actor = make_user("viewer_a", county.school_a, Role.READ_ONLY)
    else:
        actor = request.getfixturevalue(who)
    before = state()
    with pytest.raises(PermissionDenied):
        SERVICES[service](world, actor)
    assert state() == before


@pytest.mark.parametrize("service", ["file_view", "measure_record", "plan_update", "file_export"])
def test_the_right_actor_passes(world, liaison_a, service):
    SERVICES[service](world, liaison_a)
