"""Audit events cannot be changed or removed through the ORM."""

from __future__ import annotations

import pytest
from django.db import transaction

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record


@pytest.fixture
def event(liaison_a: User) -> AuditEvent:
    return record(AuditEvent.Action.VIEW, actor=liaison_a, target_repr="张*明")


def test_instance_save_is_refused(event: AuditEvent) -> None:
    event.target_repr = "altered"
    with pytest.raises(PermissionError):
        event.save()
    event.refresh_from_db()
    assert event.target_repr == "张*明"


def test_instance_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(target_repr="altered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="login")
    event.refresh_from_db()
    assert event.target_repr == "张*明" and event.action == "view"


def test_queryset_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_is_refused(event: AuditEvent) -> None:
    event.target_repr = "altered"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["target_repr"])
    event.refresh_from_db()
    assert event.target_repr == "张*明"
