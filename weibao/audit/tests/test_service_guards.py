"""The audit services refuse a wrong actor when called directly (no view in between)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import log_searched


@pytest.mark.parametrize("who", ["liaison_a", "coordinator", "sysadmin"])
def test_only_auditors_search_the_log(who: str, request: pytest.FixtureRequest) -> None:
    actor: User = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        log_searched(actor=actor, filters={"action": "view"})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).exists()


def test_an_auditors_search_is_recorded(auditor: User) -> None:
    log_searched(actor=auditor, filters={"action": "view"}, via="api")
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert event.actor == auditor
    assert event.detail == {"filters": {"action": "view"}, "via": "api"}
