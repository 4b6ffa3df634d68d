"""Every write of the retention app: rules (closed and reopened, never edited), the runs that
apply them (a dry run for the coordinator, the real one for the scheduler), and the impact
assessments.

Erasure keeps the audit chain verifiable: audit events are never deleted, neither by the
erasure of another record (the event stays, with its target's id and its already-masked
representation; the record it points at goes) nor by their own rule (deleting an event breaks
the chain, and the audit app has no safe prune yet: past-due events are reported as due).
People's register entries are left alone: other apps' records refer to them.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import IntegerField, Model, Q, QuerySet
from django.db.models.deletion import Collector
from django.db.models.functions import Cast, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.atrisk.models import AtRiskFile
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.casework.models import Case
from weibao.core.models import Attachment
from weibao.kit.guards import require_perm
from weibao.retention.models import (
    Action,
    Archived,
    ImpactAssessment,
    Kind,
    RetentionRule,
    RetentionRun,
    years_after,
)
from weibao.staffchecks.models import CheckItem

logger = logging.getLogger(__name__)

RULE_FIELDS = ("keep_days", "action", "reason")
ASSESSMENT_FIELDS = (
    "purpose",
    "legal_basis",
    "data_kinds",
    "who_may_see",
    "risks",
    "measures",
    "assessed_on",
    "assessed_by",
    "next_review",
)
SYSTEM = "retention"  # the audit log's actor name for the scheduler's runs


# Rules ------------------------------------------------------------------------------------------


def rule_change(*, actor: User, kind: str, data: dict[str, Any]) -> RetentionRule:
    """Close the kind's current rule and open a new one with `data` (keep_days, action, reason)."""
    require_perm(actor, "retention.change_rules")
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown record kind.")]})
    new = RetentionRule(
        kind=kind,
        keep_days=data.get("keep_days"),  # type: ignore[misc]  # None: full_clean refuses it
        action=data.get("action") or "",
        reason=data.get("reason") or "",
        set_by=actor,
    )
    new.full_clean(exclude=["valid_from", "valid_to"])
    with transaction.atomic(durable=True):
        old = RetentionRule.objects.select_for_update().current().filter(kind=kind).first()
        before = snapshot(old, RULE_FIELDS) if old is not None else {}
        if old is not None and all(before[f] == getattr(new, f) for f in RULE_FIELDS):
            raise ValidationError(_("The rule is unchanged."))
        now = timezone.now()
        if old is not None:
            old.valid_to = now
            old.save(update_fields=["valid_to"])
        new.valid_from = now
        new.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=new,
            target_repr=f"retention rule {kind}",
            replaces=old.pk if old is not None else None,
            changes=diff(new, before, RULE_FIELDS),
        )
    return new


# Which records are due --------------------------------------------------------------------------


def _archived(kind: str) -> QuerySet[Any]:
    return (
        Archived.objects.filter(kind=kind)
        .annotate(record_pk=Cast("object_id", IntegerField()))
        .values("record_pk")
    )


def due(rule: RetentionRule, as_of: date) -> QuerySet[Any]:
    """The records of the rule's kind past their period and not yet handled by its action."""
    cut = rule.cutoff(as_of)
    adult_before = years_after(cut, -18)  # born on or before: 18 for at least keep_days
    qs: QuerySet[Any]
    if rule.kind == Kind.AUDIT_EVENTS:
        return AuditEvent.objects.filter(at__date__lt=cut)
    if rule.kind == Kind.ATRISK_FILES:
        qs = AtRiskFile.objects.filter(
            closed_at__isnull=False, person__birth_date__lte=adult_before
        )
    elif rule.kind == Kind.CASES:
        qs = Case.objects.filter(status=Case.Status.CLOSED).filter(
            Q(child__birth_date__lte=adult_before)
            | Q(child__isnull=True, filed_at__date__lte=adult_before)
        )
    else:
        qs = CheckItem.objects.filter(
            Q(checked_at__date__lt=cut)
            | Q(checked_at__isnull=True, batch__created_at__date__lt=cut)
        ).exclude(id_hash="")  # an erased item has no keys left
    if rule.action == Action.ARCHIVE:
        qs = qs.exclude(pk__in=_archived(rule.kind))
    return qs


# Runs -------------------------------------------------------------------------------------------


def retention_preview(*, actor: User, as_of: date | None = None) -> RetentionRun:
    """What the rules would do now, changing nothing (a dry run, recorded)."""
    require_perm(actor, "retention.preview")
    return _run(dry_run=True, actor=actor, as_of=as_of or timezone.localdate())


def retention_apply(*, as_of: date | None = None) -> RetentionRun:
    """Apply the rules (the scheduler's job: no user). Safe to run twice: what was archived or
    erased is no longer due."""
    return _run(dry_run=False, actor=None, as_of=as_of or timezone.localdate())


def _run(*, dry_run: bool, actor: User | None, as_of: date) -> RetentionRun:
    run = RetentionRun.objects.create(as_of=as_of, dry_run=dry_run, started_by=actor)
    counts: dict[str, dict[str, Any]] = {}
    for rule in RetentionRule.objects.current().order_by("kind"):
        records = due(rule, as_of)
        row: dict[str, Any] = {
            "rule": rule.pk,
            "action": rule.action,
            "keep_days": rule.keep_days,
            "due": records.count(),
            "archived": 0,
            "erased": 0,
            "failed": 0,
        }
        if not dry_run and row["due"]:
            if rule.action == Action.ARCHIVE:
                row["archived"] = _archive(rule, records, run)
            elif rule.action == Action.ERASE:
                row["erased"], row["failed"] = _erase_all(rule, records, run)
        counts[rule.kind] = row
    with transaction.atomic(durable=True):
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            username="" if actor else SYSTEM,
            target=run,
            target_repr=f"retention run {run.pk}",
            dry_run=dry_run,
            counts=counts,
        )
    return run


def _archive(rule: RetentionRule, records: QuerySet[Any], run: RetentionRun) -> int:
    with transaction.atomic(durable=True):
        ids = [str(pk) for pk in records.values_list("pk", flat=True)]
        Archived.objects.bulk_create(
            [Archived(kind=rule.kind, object_id=pk, run=run) for pk in ids],
            ignore_conflicts=True,
            batch_size=500,
        )
        record(
            AuditEvent.Action.UPDATE,
            username=SYSTEM,
            target=rule,
            target_repr=f"retention archive {rule.kind}",
            run=run.pk,
            archived=len(ids),
        )
    return len(ids)


def _erase_all(rule: RetentionRule, records: QuerySet[Any], run: RetentionRun) -> tuple[int, int]:
    """(erased, failed): a record that cannot go (a protected reference, say) is logged and
    counted, and does not stop the others; the next run tries it again."""
    if rule.kind == Kind.CHECK_ITEMS:
        return _erase_check_items(rule, records, run), 0
    erased = failed = 0
    for pk in list(records.values_list("pk", flat=True)):
        try:
            if erase_record(records.model, pk, rule=rule, run=run):
                erased += 1
        except Exception:
            logger.exception("retention could not erase %s %s", records.model.__name__, pk)
            failed += 1
    return erased, failed


def erase_record(
    model: type[Model], pk: Any, *, rule: RetentionRule, run: RetentionRun
) -> dict[str, int]:
    """Delete one record, the rows that depend on it and their attachments, in one durable
    transaction; one DELETE event with the counts only (no personal data). For the run only."""
    with transaction.atomic(durable=True):
        obj = model._default_manager.select_for_update().filter(pk=pk).first()
        if obj is None:
            return {}
        collector = Collector(using=DEFAULT_DB_ALIAS, origin=obj)
        collector.collect([obj])
        attachments = Attachment.objects.filter(_owners_q(collector))
        stored = [a.file.name for a in attachments if a.file.name]
        files_deleted = attachments.delete()[0]
        _, per_model = collector.delete()
        obj.pk = pk  # the event names the erased record by its id
        counts = {label: n for label, n in per_model.items() if n}
        if files_deleted:
            counts["core.Attachment"] = files_deleted
        record(
            AuditEvent.Action.DELETE,
            username=SYSTEM,
            target=obj,
            target_repr=f"{model._meta.label_lower} {pk}",
            reason="retention",
            rule=rule.pk,
            run=run.pk,
            counts=counts,
        )
        transaction.on_commit(lambda: _delete_stored(stored))
    return counts


def _owners_q(collector: Collector) -> Q:
    """Attachments owned by any row the collector is about to delete."""
    owners: dict[type[Model], set[str]] = {}
    for model, instances in collector.data.items():
        owners.setdefault(model, set()).update(str(i.pk) for i in instances)
    for qs in collector.fast_deletes:
        owners.setdefault(qs.model, set()).update(str(pk) for pk in qs.values_list("pk", flat=True))
    condition = Q(pk__in=[])
    for model, ids in owners.items():
        if ids:
            condition |= Q(owner_type=ContentType.objects.get_for_model(model), owner_id__in=ids)
    return condition


def _delete_stored(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("retention could not delete the stored file %s", name)


def _erase_check_items(rule: RetentionRule, records: QuerySet[Any], run: RetentionRun) -> int:
    """A check's result stays (the unit's figures); the checked person's name, ID number and
    keys go, and the birth date keeps its year only."""
    with transaction.atomic(durable=True):
        ids = list(records.values_list("pk", flat=True))
        erased = CheckItem.objects.filter(pk__in=ids).update(
            name_encrypted="",
            id_number_encrypted="",
            id_hash="",
            name_key="",
            staff=None,
            birth_date=TruncYear("birth_date"),
        )
        record(
            AuditEvent.Action.UPDATE,
            username=SYSTEM,
            target=rule,
            target_repr=f"retention erase {rule.kind}",
            run=run.pk,
            erased=erased,
        )
    return erased


# Impact assessments -----------------------------------------------------------------------------


def assessment_create(*, actor: User, data: dict[str, Any]) -> ImpactAssessment:
    require_perm(actor, "retention.manage_assessments")
    assessment = ImpactAssessment(**{f: data.get(f) for f in ASSESSMENT_FIELDS}, created_by=actor)
    assessment.full_clean()
    with transaction.atomic(durable=True):
        assessment.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=assessment,
            target_repr=assessment.purpose,
        )
    return assessment


def assessment_update(
    *, actor: User, assessment: ImpactAssessment, data: dict[str, Any]
) -> ImpactAssessment:
    require_perm(actor, "retention.manage_assessments")
    before = snapshot(assessment, ASSESSMENT_FIELDS)
    for name in ASSESSMENT_FIELDS:
        if name in data:
            setattr(assessment, name, data[name])
    assessment.updated_at = timezone.now()
    assessment.full_clean()
    with transaction.atomic(durable=True):
        assessment.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=assessment,
            target_repr=assessment.purpose,
            changes=diff(assessment, before, ASSESSMENT_FIELDS),
        )
    return assessment


def assessment_delete(*, actor: User, assessment: ImpactAssessment) -> None:
    """Refused before the assessment has been kept three years (PIPL Art. 56)."""
    require_perm(actor, "retention.manage_assessments")
    if timezone.localdate() < assessment.keep_until:
        raise ValidationError(
            _(
                "An impact assessment is kept at least three years (PIPL Article 56): "
                "it may be deleted from %(day)s."
            )
            % {"day": assessment.keep_until.isoformat()}
        )
    with transaction.atomic(durable=True):
        pk = assessment.pk
        assessment.delete()
        assessment.pk = pk
        record(
            AuditEvent.Action.DELETE,
            actor=actor,
            target=assessment,
            target_repr=assessment.purpose,
        )
