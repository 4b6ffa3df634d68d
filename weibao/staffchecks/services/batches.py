"""Check requests and their runs against the register (the background job)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit import crypto, spreadsheets
from weibao.kit.guards import require_perm
from weibao.kit.messages import Message
from weibao.kit.spreadsheets import Column
from weibao.lib import idnumber
from weibao.staffchecks import matching
from weibao.staffchecks.matching import normalise_name
from weibao.staffchecks.models import (
    CLOSE_CONTACT_KINDS,
    CheckBatch,
    CheckItem,
    StaffMember,
)
from weibao.staffchecks.services._common import (
    RUN_JOB_KIND,
    UNIT_RECIPIENT_ROLES,
    RegisterFileError,
    _clean_name,
    _item_for_staff,
    _refresh_counts,
    _unit_users,
    _update_staff_dates,
    action_due_days,
    register_users,
)

if TYPE_CHECKING:
    from weibao.core.models import Attachment, Job

APPLICANT_COLUMNS = (
    Column("name", pgettext_lazy("person", "Name"), example="王五", width=12, person_name=True),
    Column(
        "id_number", gettext_lazy("ID number"), example="361025199001010026", width=22, code=True
    ),
)


# Check requests ------------------------------------------------------------------------------


def _check_consent(consent_confirmed: bool, consent_note: str) -> None:
    if not consent_confirmed:
        raise ValidationError(
            {
                "consent_confirmed": [
                    _("Confirm that the people checked have authorised the check in writing.")
                ]
            }
        )


def batch_create(
    *,
    actor: User,
    unit: Organisation,
    kind: str,
    consent_confirmed: bool,
    consent_note: str = "",
    staff: Iterable[StaffMember] = (),
    applicants: Any = None,
) -> CheckBatch:
    """Open a check request for a unit: chosen staff (new hires), the whole active roster
    (annual), or a file of applicants (name, ID number). The items are built from the roster or
    from rows the applicant checker validated, and written in bulk."""
    require_perm(actor, "staffchecks.request_check", unit)
    _check_consent(consent_confirmed, consent_note)
    if kind not in (CheckBatch.Kind.NEW_HIRE, CheckBatch.Kind.ANNUAL, CheckBatch.Kind.APPLICANTS):
        raise ValidationError({"kind": [_("Choose the kind of check.")]})
    rows: list[tuple[int, tuple[str, str]]] = []
    if kind == CheckBatch.Kind.APPLICANTS:
        if applicants is None:
            raise ValidationError({"file": [_("Upload the file of applicants.")]})
        report = spreadsheets.validate_rows(applicants, APPLICANT_COLUMNS, _applicant_row)
        if report.errors:
            raise RegisterFileError(report.errors)
        rows = report.good
    chosen = list(staff)
    if kind == CheckBatch.Kind.NEW_HIRE:
        chosen = [s for s in chosen if s.unit_id == unit.pk and s.status == s.Status.ACTIVE]
        if not chosen:
            raise ValidationError({"staff": [_("Choose at least one person on the roster.")]})
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        if kind == CheckBatch.Kind.ANNUAL:
            batch = annual_batch_open(unit=unit, year=today.year, actor=actor)
            batch.consent_confirmed, batch.consent_note = True, consent_note
            batch.full_clean()
            batch.save(update_fields=["consent_confirmed", "consent_note"])
            return batch
        batch = CheckBatch(
            unit=unit,
            kind=kind,
            year=today.year,
            consent_confirmed=True,
            consent_note=consent_note[:300],
            requested_by=actor,
        )
        batch.full_clean()
        batch.save()
        items = [_item_for_staff(batch, s) for s in chosen]
        for _number, (name, number) in rows:
            items.append(
                CheckItem(
                    batch=batch,
                    id_hash=crypto.blind_index(number),
                    name_key=normalise_name(name),
                    birth_date=idnumber.parse(number).birth_date,
                    name_encrypted=crypto.encrypt(name),
                    id_number_encrypted=crypto.encrypt(number),
                )
            )
        CheckItem.objects.bulk_create(items, batch_size=1000)
        batch.total = len(items)
        batch.save(update_fields=["total"])
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            kind=kind,
            people=len(items),
        )
    return batch


def _applicant_row(texts: dict[str, str]) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = number = ""
    try:
        name = _clean_name(texts.get("name", ""))
    except ValueError as exc:
        errors["name"] = [str(exc)]
    try:
        number = idnumber.parse(texts.get("id_number", "")).number
    except ValueError as exc:
        errors["id_number"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return name, number


def annual_batch_open(*, unit: Organisation, year: int, actor: User | None = None) -> CheckBatch:
    """The unit's annual re-check for the year, opened if it is not open yet (idempotent).

    Not a user's service: `batch_create` and `annual_open_all` call it inside their own
    transaction after checking their actor. It writes fixed, valid values only (the unit, the
    year, the kind), and the database's one-annual-per-year constraint is what get_or_create
    relies on, so it does not call `full_clean`."""
    batch, created = CheckBatch.objects.get_or_create(
        unit=unit,
        year=year,
        kind=CheckBatch.Kind.ANNUAL,
        defaults={"requested_by": actor},
    )
    if created:
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            kind=CheckBatch.Kind.ANNUAL,
            year=year,
        )
    return batch


def annual_open_all(*, year: int, actor: User | None = None, notify_units: bool = True) -> int:
    """Open the year's annual re-check for every close-contact unit that has none; tell them.
    Returns how many were opened. Safe to run again: a unit gets one annual re-check a year.

    The scheduler calls it without an actor (exempt from the check); a user who calls it (the
    bureau's one click) needs `staffchecks.request_all`."""
    from weibao.core.services import notify

    if actor is not None:
        require_perm(actor, "staffchecks.request_all")

    units = Organisation.objects.active().filter(kind__in=CLOSE_CONTACT_KINDS)
    have = set(
        CheckBatch.objects.filter(kind=CheckBatch.Kind.ANNUAL, year=year).values_list(
            "unit_id", flat=True
        )
    )
    opened = []
    with transaction.atomic(durable=True):
        for unit in units.exclude(pk__in=have):
            opened.append(annual_batch_open(unit=unit, year=year, actor=actor))
        if notify_units and opened:
            recipients = User.objects.filter(
                organisation_id__in=[b.unit_id for b in opened],
                role__in=UNIT_RECIPIENT_ROLES,
                is_active=True,
            )
            notify(
                recipients=recipients,
                title=Message(
                    gettext_noop("The %(year)d annual staff record check is open"), {"year": year}
                ),
                body=Message(
                    gettext_noop(
                        "Every member of staff who works with children is to be checked again this "
                        "year. Bring the roster up to date, then run the check."
                    )
                ),
                link=reverse("staffchecks:batch_list"),
                kind="staffchecks",
                webhook_units=[b.unit for b in opened],
            )
    return len(opened)


def batches_run_start(*, actor: User, batches: Sequence[CheckBatch]) -> Job:
    """Start the check of open requests as one background job with a progress bar."""
    from weibao.core.services import job_start

    for batch in batches:
        require_perm(actor, "staffchecks.request_check", batch)
    open_ids = [b.pk for b in batches if b.status == CheckBatch.Status.OPEN]
    if not open_ids:
        raise ValidationError(_("There is no open check request to run."))
    missing = [b for b in batches if b.pk in open_ids and not b.consent_confirmed]
    if missing and not all(b.kind == CheckBatch.Kind.ANNUAL for b in missing):
        raise ValidationError({"consent_confirmed": [_("The consent record is missing.")]})
    title = (
        _("Staff record check: %(unit)s") % {"unit": batches[0].unit}
        if len(open_ids) == 1
        else _("Staff record check: %(n)d units") % {"n": len(open_ids)}
    )
    return job_start(
        actor=actor,
        kind=RUN_JOB_KIND,
        title=title,
        params={"batch_ids": open_ids},
        link=reverse("staffchecks:batch_list"),
    )


def _snapshot_roster(batch: CheckBatch) -> int:
    """Put the unit's active staff into its annual request (at run time: the roster may have
    changed since the request was opened)."""
    staff = StaffMember.objects.active().filter(unit_id=batch.unit_id).select_related("person")
    items = [_item_for_staff(batch, s) for s in staff.iterator(chunk_size=2000)]
    CheckItem.objects.bulk_create(items, batch_size=1000)
    return len(items)


def batches_run(*, actor: User | None, batch_ids: Sequence[int], progress: Any = None) -> dict:
    """Check the open requests against the register; returns counts. Safe to run twice: only
    open requests and unchecked items are touched.

    Not a user's service: the job worker runs it (for the user who started the job, whose
    permission `batches_run_start` checked for every request), as do the demo and the tests.
    It writes the findings in bulk (matching) and computed counts only."""
    opened = CheckBatch.objects.filter(pk__in=batch_ids, status=CheckBatch.Status.OPEN)
    claimed = list(opened.values_list("pk", flat=True))
    CheckBatch.objects.filter(pk__in=claimed).update(
        status=CheckBatch.Status.RUNNING, submitted_at=timezone.now()
    )
    batches = list(CheckBatch.objects.filter(pk__in=claimed).select_related("unit").order_by("pk"))
    for batch in batches:
        if batch.kind == CheckBatch.Kind.ANNUAL and not batch.items.exists():
            _snapshot_roster(batch)
    queued = dict(
        CheckItem.objects.filter(batch_id__in=claimed, result=CheckItem.Result.QUEUED)
        .values_list("batch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total, done = sum(queued.values()), 0
    counts = matching.MatchCounts()
    if progress is not None:
        progress(0, total)
    finished: list[int] = []
    try:
        for batch in batches:
            counts.add(matching.match_batch(batch.pk))
            _finish_batch(batch, actor)
            finished.append(batch.pk)
            done += queued.get(batch.pk, 0)
            if progress is not None:
                progress(done, total)
    except Exception:
        # The requests not finished go back to open, to be run again (their findings so far
        # stand: matching again only looks at the items still without one).
        CheckBatch.objects.filter(pk__in=claimed, status=CheckBatch.Status.RUNNING).exclude(
            pk__in=finished
        ).update(status=CheckBatch.Status.OPEN)
        raise
    clear = total - counts.exact - counts.possible
    return {"exact": counts.exact, "possible": counts.possible, "clear": clear}


def _finish_batch(batch: CheckBatch, actor: User | None) -> None:
    """Mark a matched request done, recount it and tell the unit (and the police of possible
    matches); inside `batches_run`, whose actor was checked. The fields saved are computed."""
    from weibao.core.services import notify

    today = timezone.localdate()
    with transaction.atomic():
        # Done first: from now on the items without a finding read as clear.
        batch.status = CheckBatch.Status.DONE
        batch.completed_at = timezone.now()
        batch.save(update_fields=["status", "completed_at"])
        batch.items.filter(result=CheckItem.Result.BARRED, action_due__isnull=True).update(
            action_due=today + timedelta(days=action_due_days())
        )
        _update_staff_dates(batch.items.all(), today)
        _refresh_counts(batch)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            section="check_run",
            people=batch.total,
            clear=batch.clear_count,
            barred=batch.barred_count,
            pending=batch.pending_count,
        )
        notify(
            recipients=_unit_users(batch.unit_id),
            title=Message(gettext_noop("Staff record check results are ready")),
            body=Message(
                gettext_noop(
                    "Open the check request to see the results and record any action needed."
                )
            ),
            link=batch.get_absolute_url(),
            kind="staffchecks",
        )
        possible = batch.items.filter(result=CheckItem.Result.POSSIBLE).count()
        if possible:
            notify(
                recipients=register_users(),
                title=Message(
                    gettext_noop("%(n)d possible matches wait for confirmation"), {"n": possible}
                ),
                link=reverse("staffchecks:matches"),
                kind="staffchecks",
            )


def batches_run_job(job: Job, progress: Any) -> Attachment | None:
    """The job handler: runs the check for the user who started it."""
    params = job.params or {}
    counts = batches_run(
        actor=job.started_by, batch_ids=list(params.get("batch_ids") or []), progress=progress
    )
    total = counts["exact"] + counts["possible"] + counts["clear"]
    job.message = _("%(total)d people checked.") % {"total": total}
    job.save(update_fields=["message"])
    return None
