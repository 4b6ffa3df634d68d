"""Files: open, view, reveal, assign, close, refer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, Role, User
from weibao.accounts.policy import works_with_data
from weibao.atrisk.access import reportable_people
from weibao.atrisk.models import (
    ATRISK_UNIT_KINDS,
    AtRiskFile,
    Contact,
    FileReferral,
    InterventionPlan,
    RiskFactor,
    RiskWarning,
)
from weibao.atrisk.services._common import (
    RETURN_WINDOW_DAYS,
    SCHEDULER,
    _check_minor,
    _notify,
    _repr,
    _township_of,
    _warn,
)
from weibao.atrisk.services.grades import (
    files_regrade,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message
from weibao.people.models import Person
from weibao.people.services import person_reveal_of_record


def _new_file(actor: User, person: Person, on: date, worker: User | None = None) -> AtRiskFile:
    file = AtRiskFile(
        person=person,
        opened_at=on,
        opened_by=actor,
        unit=(worker or actor).organisation,
        worker=worker or actor,
        school=person.school,
        division=person.division,
        township=_township_of(person),
    )
    file.full_clean(exclude=["person"])
    file.save()
    if person.is_left_behind:
        RiskFactor.objects.create(
            file=file, kind=RiskFactor.Kind.LEFT_BEHIND, from_register=True, recorded_by=actor
        )
    record(
        AuditEvent.Action.CREATE,
        actor=actor,
        target=file,
        target_repr=_repr(file),
        person_id=person.pk,
    )
    return file


def file_open(
    *, actor: User, person: Person, worker: User | None = None, factors: Iterable[str] = ()
) -> AtRiskFile:
    """Open a file for a minor (one open file per minor); watch grade until records come."""
    require_perm(actor, "atrisk.report_event")
    if not reportable_people(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": [_("You may open a file only for a minor you can see.")]})
    today = timezone.localdate()
    _check_minor(person, today, "person")
    if AtRiskFile.objects.filter(person=person, closed_at__isnull=True).exists():
        raise ValidationError({"person": [_("This minor already has an open file.")]})
    factors = list(factors)
    bad = [f for f in factors if f not in RiskFactor.Kind.values]
    raise_if({"factors": [_("Unknown risk factor: %(f)s") % {"f": ", ".join(bad)}]} if bad else {})
    with transaction.atomic(durable=True):
        file = _new_file(actor, person, today, worker)
        for kind in factors:
            RiskFactor.objects.get_or_create(
                file=file, kind=kind, ended_on=None, defaults={"recorded_by": actor}
            )
        _returned_warning(file, key=f"file:{file.pk}")
        files_regrade([file], actor=actor)
    return file


def _returned_warning(file: AtRiskFile, *, key: str) -> None:
    """A new file for a minor whose previous file closed within the year: warn."""
    since = file.opened_at - timedelta(days=RETURN_WINDOW_DAYS)
    recent = (
        AtRiskFile.objects.filter(person_id=file.person_id, closed_at__gte=since)
        .exclude(pk=file.pk)
        .order_by("-closed_at")
        .first()
    )
    if recent is not None:
        _warn(
            file,
            RiskWarning.Kind.RETURNED,
            key=key,
            detail=gettext_noop("The previous file (%(n)s) was closed on %(day)s."),
            args={"n": recent.pk, "day": str(recent.closed_at)},
        )


def file_view(*, actor: User, file: AtRiskFile, via: str = "page") -> None:
    """Record that the actor opened the file (every time)."""
    require_perm(actor, "atrisk.view_file", file)
    record(AuditEvent.Action.VIEW, actor=actor, target=file, target_repr=_repr(file), via=via)


def file_reveal(*, actor: User, file: AtRiskFile, field: str, reason: str) -> str:
    """The full ID number or phone, through the people register's audited reveal."""
    require_perm(actor, "atrisk.reveal_person", file)
    return person_reveal_of_record(
        actor=actor, record_obj=file, person=file.person, field=field, reason=reason
    )


def file_assign(
    *, actor: User, file: AtRiskFile, worker: User | None, unit: Organisation | None = None
) -> AtRiskFile:
    """Give the file a responsible worker (and unit: the worker's by default)."""
    require_perm(actor, "atrisk.change_file", file)
    if worker is not None and not works_with_data(worker):
        raise ValidationError({"worker": [_("Choose an active case worker.")]})
    unit = unit or (worker.organisation if worker is not None else file.unit)
    if worker is not None and worker.organisation_id != unit.pk:
        raise ValidationError({"worker": [_("The worker must belong to the responsible unit.")]})
    before = {"worker": file.worker, "unit": file.unit}
    with transaction.atomic(durable=True):
        file.worker, file.unit = worker, unit
        file.full_clean(exclude=["person"])
        file.save(update_fields=["worker", "unit"])
        InterventionPlan.objects.filter(file=file).update(worker=worker, unit=unit)
        Contact.objects.filter(file=file, done_at__isnull=True).update(worker=worker)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            changes=diff(file, before, ("worker", "unit")),
        )
        if worker is not None and worker != actor:
            _notify(
                file,
                Message(
                    gettext_noop("An at-risk file was assigned to you (file %(n)d)"), {"n": file.pk}
                ),
                kind="atrisk_assigned",
            )
    return file


def file_close(
    *, actor: User | None, file: AtRiskFile, reason: str, note: str = "", on: date | None = None
) -> AtRiskFile:
    """Close the file with a reason; pending contacts are dropped and warnings resolved.

    `actor=None` is the nightly job closing the files of those who turned 18 (no permission to
    check); any other caller needs `atrisk.change_file`. Not durable: the nightly job calls it.
    """
    if not file.is_open:  # before the permission, which only open files have: a clearer error
        raise ValidationError({"reason": [_("The file is already closed.")]})
    if actor is not None:
        require_perm(actor, "atrisk.change_file", file)
    if reason not in AtRiskFile.ClosedReason.values:
        raise ValidationError({"reason": [_("Choose a reason from the list.")]})
    now = timezone.now()
    with transaction.atomic():
        file.closed_at = on or timezone.localdate()
        file.closed_reason = reason
        file.closed_note = " ".join((note or "").split())[:300]
        file.full_clean(exclude=["person"])
        file.save(update_fields=["closed_at", "closed_reason", "closed_note"])
        Contact.objects.filter(file=file, done_at__isnull=True).delete()
        RiskWarning.objects.filter(file=file, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            username=SCHEDULER if actor is None else "",
            target=file,
            target_repr=_repr(file),
            changes={"closed_reason": [None, reason]},
            note=file.closed_note,
        )
    return file


def file_refer(
    *, actor: User, file: AtRiskFile, unit: Organisation, note: str = ""
) -> FileReferral:
    """Hand the file to another unit, which from now on sees it."""
    require_perm(actor, "atrisk.change_file", file)
    if FileReferral.objects.filter(file=file, unit=unit).exists():
        raise ValidationError({"unit": [_("The file was already referred to this unit.")]})
    if unit.kind not in ATRISK_UNIT_KINDS or not unit.is_active:
        raise ValidationError({"unit": [_("This unit cannot receive at-risk files.")]})
    from weibao.core.services import notify

    with transaction.atomic(durable=True):
        referral = FileReferral(
            file=file, unit=unit, referred_by=actor, note=" ".join(note.split())[:300]
        )
        referral.full_clean()
        referral.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=file,
            target_repr=_repr(file),
            changes={"referrals": [None, unit.name]},
        )
        notify(
            recipients=unit.users.filter(is_active=True, role=Role.CASE_WORKER),
            title=Message(
                gettext_noop("An at-risk file was referred to your unit (file %(n)d)"),
                {"n": file.pk},
            ),
            link=file.get_absolute_url(),
            kind="atrisk_referral",
        )
    return referral
