"""Sealed-record applications: written, decided by another coordinator, with an expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, SealedQueryApplication
from weibao.atrisk.tests.conftest import report
from weibao.audit.models import AuditEvent
from weibao.testing import make_user


@pytest.fixture
def application(police, pupil_a, coordinator):
    report(police, [pupil_a], "SB04", sealed=True)
    file = AtRiskFile.objects.get(person=pupil_a)
    return services.sealed_query_apply(
        actor=coordinator, file=file, legal_basis="刑事诉讼法第286条", purpose="办案需要"
    )


def test_apply_needs_basis_and_purpose(coordinator, police, pupil_a):
    report(police, [pupil_a], "SB04", sealed=True)
    file = AtRiskFile.objects.get(person=pupil_a)
    with pytest.raises(ValidationError) as exc:
        services.sealed_query_apply(actor=coordinator, file=file, legal_basis="", purpose="x")
    assert set(exc.value.message_dict) == {"legal_basis", "purpose"}
    assert not SealedQueryApplication.objects.exists()


def test_nobody_decides_their_own_application(application, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.sealed_query_decide(
            actor=coordinator,
            application=application,
            approve=True,
            expires_on=timezone.localdate() + timedelta(days=7),
        )
    assert "decision" in exc.value.message_dict
    application.refresh_from_db()
    assert application.decision == "pending"


def test_only_coordinators_decide(application, police):
    with pytest.raises(PermissionDenied):
        services.sealed_query_decide(actor=police, application=application, approve=False)


def test_approval_needs_an_expiry_and_is_audited(application, county):
    other = make_user("coordinator2", county.procuratorate, Role.COUNTY_COORDINATOR)
    with pytest.raises(ValidationError) as exc:
        services.sealed_query_decide(actor=other, application=application, approve=True)
    assert "expires_on" in exc.value.message_dict
    services.sealed_query_decide(
        actor=other,
        application=application,
        approve=True,
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    application.refresh_from_db()
    assert application.is_active and application.approver == other
    assert AuditEvent.objects.filter(
        target_type="atrisk.sealedqueryapplication", action="update"
    ).exists()
