"""Applying the rules: the dry run changes nothing; the real run archives and erases what is
due, keeps the audit chain verifiable, leaves people's register entries, and is idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from weibao.atrisk.models import AtRiskFile, Contact
from weibao.audit.models import AuditEvent
from weibao.audit.services import verify
from weibao.casework.models import Case
from weibao.core.models import Attachment
from weibao.core.schedule import REGISTRY
from weibao.people.models import Person
from weibao.retention import services
from weibao.retention.models import Archived, Kind, RetentionRule, RetentionRun
from weibao.staffchecks.models import CheckItem

pytestmark = pytest.mark.django_db


def test_default_rules_seeded() -> None:
    rules = {r.kind: r for r in RetentionRule.objects.current()}
    assert set(rules) == set(Kind.values)
    assert rules["audit_events"].keep_days >= 3 * 365
    assert rules["audit_events"].action == "report"
    assert rules["atrisk_files"].action == "erase"
    assert rules["cases"].action == "archive"


def test_dry_run_changes_nothing(now, coordinator, old_records) -> None:
    files, cases = AtRiskFile.objects.count(), Case.objects.count()
    run = services.retention_preview(actor=coordinator)
    assert run.dry_run and run.started_by == coordinator and run.finished_at
    assert run.counts["atrisk_files"]["due"] == 1  # the adult's closed file only
    assert run.counts["atrisk_files"]["erased"] == 0
    assert run.counts["cases"]["due"] == 1  # closed, adult; not the young adult's, not open
    assert run.counts["check_items"]["due"] == 1
    assert run.counts["audit_events"]["due"] == 3  # the three of 2024-03-01
    assert (AtRiskFile.objects.count(), Case.objects.count()) == (files, cases)
    assert not Archived.objects.exists()
    assert CheckItem.objects.get(pk=old_records["old_item"].pk).id_hash


def test_real_run_erases_archives_and_keeps_chain(now, old_records) -> None:
    run = services.retention_apply()
    assert not run.dry_run and run.started_by is None
    assert run.counts["atrisk_files"] == {
        **run.counts["atrisk_files"],
        "due": 1,
        "erased": 1,
        "archived": 0,
    }
    # The file, its contact and the contact's attachment are gone; the person stays.
    assert not AtRiskFile.objects.filter(pk=old_records["adult_file"].pk).exists()
    assert not Contact.objects.filter(pk=old_records["contact"].pk).exists()
    assert not Attachment.objects.filter(pk=old_records["attachment"].pk).exists()
    assert Person.objects.filter(pk=old_records["adult"].pk).exists()
    assert AtRiskFile.objects.filter(pk=old_records["young_file"].pk).exists()
    assert AtRiskFile.objects.filter(pk=old_records["open_file"].pk).exists()
    # The DELETE event names the file by id, with counts only, and the chain is whole.
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, target_type="atrisk.atriskfile")
    assert event.target_id == str(old_records["adult_file"].pk)
    assert event.detail["counts"]["atrisk.AtRiskFile"] == 1
    assert event.detail["counts"]["atrisk.Contact"] == 1
    assert event.detail["counts"]["core.Attachment"] == 1
    assert "李成年" not in str(event.detail) and "李成年" not in event.target_repr
    assert verify() is None
    # Closed reports of adults are archived (kept).
    assert run.counts["cases"]["archived"] == 1
    assert set(Archived.objects.values_list("kind", "object_id")) == {
        ("cases", str(old_records["adult_case"].pk))
    }
    assert Case.objects.filter(pk=old_records["adult_case"].pk).exists()
    # Old check items lose the person's data, keep the result; new ones are untouched.
    old = CheckItem.objects.get(pk=old_records["old_item"].pk)
    assert (old.id_hash, old.name_key, old.name_encrypted, old.id_number_encrypted) == ("",) * 4
    assert old.birth_date.isoformat() == "1990-01-01" and old.result == "clear"
    assert CheckItem.objects.get(pk=old_records["new_item"].pk).id_hash == "n" * 64


def test_stored_file_deleted_after_commit(
    now, old_records, django_capture_on_commit_callbacks
) -> None:
    stored = old_records["attachment"].file.name
    storage = old_records["attachment"].file.storage
    with django_capture_on_commit_callbacks(execute=True):
        services.retention_apply()
    assert not storage.exists(stored)


def test_run_is_idempotent(now, old_records) -> None:
    services.retention_apply()
    events = AuditEvent.objects.count()
    second = services.retention_apply()
    for kind in ("atrisk_files", "cases", "check_items"):
        assert second.counts[kind]["due"] == 0, kind
        assert second.counts[kind]["archived"] == second.counts[kind]["erased"] == 0
    assert Archived.objects.count() == 1
    assert AuditEvent.objects.count() == events + 1  # the run's own event only
    assert RetentionRun.objects.count() == 2


def test_audit_events_past_their_rule_are_reported_not_deleted(now, old_records) -> None:
    old = AuditEvent.objects.filter(at__lt=timezone.now() - timedelta(days=3 * 365 + 1))
    count = old.count()
    assert count > 0
    run = services.retention_apply()
    # 2024-03-01 events are past a 3-year rule on 2030-06-01: reported, all still there.
    assert run.counts["audit_events"]["due"] >= count
    assert run.counts["audit_events"]["erased"] == 0
    assert old.count() == count
    assert verify() is None


def test_longer_audit_rule_makes_events_not_due(now, coordinator, old_records) -> None:
    services.rule_change(
        actor=coordinator, kind="audit_events", data={"keep_days": 3650, "action": "report"}
    )
    assert services.retention_preview(actor=coordinator).counts["audit_events"]["due"] == 0


def test_unidentified_child_counts_from_filing(now, old_records) -> None:
    """A report without an identified child is due 18 years after filing plus the period."""
    rule = RetentionRule.objects.current().get(kind="cases")
    assert old_records["unknown_case"] not in services.due(rule, timezone.localdate())


def test_erase_for_cases(now, coordinator, old_records) -> None:
    services.rule_change(
        actor=coordinator, kind="cases", data={"keep_days": 1826, "action": "erase"}
    )
    run = services.retention_apply()
    assert run.counts["cases"]["erased"] == 1
    assert not Case.objects.filter(pk=old_records["adult_case"].pk).exists()
    assert Case.objects.filter(pk=old_records["young_case"].pk).exists()
    assert verify() is None


def test_scheduled_job(now, old_records) -> None:
    job = REGISTRY["retention_apply"]
    assert job.hour == 3
    summary = job.func()
    assert "atrisk_files: 1 due, 0 archived, 1 erased" in summary
    assert "atrisk_files: 0 due" in job.func()  # a second run finds nothing left to do


def test_a_record_that_cannot_go_is_counted_and_others_go_on(now, old_records, monkeypatch) -> None:
    real = services.erase_record

    def flaky(model, pk, **kwargs):
        if pk == old_records["adult_file"].pk:
            raise RuntimeError("protected")
        return real(model, pk, **kwargs)

    monkeypatch.setattr(services, "erase_record", flaky)
    run = services.retention_apply()
    assert run.counts["atrisk_files"]["failed"] == 1
    assert run.counts["atrisk_files"]["erased"] == 0
    assert AtRiskFile.objects.filter(pk=old_records["adult_file"].pk).exists()
    assert run.counts["check_items"]["erased"] == 1  # the other kinds still ran
