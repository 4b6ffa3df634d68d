"""Results: a look at them, the national platform's file, the police's confirmation of
possible matches, the unit's action and the result letter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.kit import documents, spreadsheets
from weibao.kit.guards import require_perm
from weibao.kit.messages import Message
from weibao.kit.spreadsheets import Column
from weibao.staffchecks import matching
from weibao.staffchecks.models import (
    CheckBatch,
    CheckItem,
    MatchDecision,
    StaffMember,
)
from weibao.staffchecks.services._common import (
    RegisterFileError,
    _choice_lookup,
    _refresh_counts,
    _unit_users,
    _update_staff_dates,
    action_due_days,
)

NATIONAL_COLUMNS = (
    Column("id_number", gettext_lazy("ID number"), width=22, code=True),
    Column("result", gettext_lazy("Result"), example="clear"),
)


def batch_view(*, actor: User, batch: CheckBatch, via: str = "page") -> None:
    """Record a look at a request's results (the law asks who looked)."""
    require_perm(actor, "staffchecks.view_results", batch)
    record(AuditEvent.Action.VIEW, actor=actor, target=batch, target_repr=str(batch), via=via)


def national_results_enter(*, actor: User, batch: CheckBatch, upload: Any) -> int:
    """Enter results from the national query platform's file (ID number, result) for a batch's
    people: "clear" or a hit. Every row must match a person of the batch; all or nothing.

    The rows are validated by the row checker, then written with one update per person."""
    require_perm(actor, "staffchecks.request_check", batch)
    results = _choice_lookup([("clear", _("clear")), ("barred", _("hit"))])
    results.update({"无": "clear", "未查询到": "clear", "有": "barred", "查询到": "barred"})
    by_hash = dict(batch.items.values_list("id_hash", "pk"))

    def check(texts: dict[str, str]) -> tuple[int, str]:
        errors: dict[str, list[str]] = {}
        pk = None
        try:
            pk = by_hash.get(matching.id_hash(texts.get("id_number", "")))
            if pk is None:
                errors["id_number"] = [_("This person is not in the check request.")]
        except ValueError as exc:
            errors["id_number"] = [str(exc)]
        result = results.get(texts.get("result", "").strip().lower())
        if result is None:
            errors["result"] = [_("Write “clear” or “hit”.")]
        if errors:
            raise ValidationError(errors)
        assert pk is not None and result is not None
        return pk, result

    report = spreadsheets.validate_rows(upload, NATIONAL_COLUMNS, check)
    if report.errors:
        raise RegisterFileError(report.errors)
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic(durable=True):
        for _number, (pk, result) in report.good:
            CheckItem.objects.filter(pk=pk).update(
                result=result,
                match_kind=CheckItem.MatchKind.NATIONAL,
                checked_at=now,
                action_due=today + timedelta(days=action_due_days())
                if result == "barred"
                else None,
            )
        _update_staff_dates(batch.items.all(), today)
        _refresh_counts(batch)
        if batch.pending_count == 0:
            batch.status = CheckBatch.Status.DONE
            batch.completed_at = now
            batch.full_clean()
            batch.save(update_fields=["status", "completed_at"])
        record(
            AuditEvent.Action.UPLOAD,
            actor=actor,
            target=batch,
            target_repr=str(batch),
            section="national_results",
            rows=len(report.good),
        )
    return len(report.good)


# Confirmation and actions -------------------------------------------------------------------


def matches_view(*, actor: User, items: Iterable[CheckItem]) -> None:
    """Record a look at possible matches: the page shows names and register categories."""
    require_perm(actor, "staffchecks.confirm_match")
    record(
        AuditEvent.Action.VIEW,
        actor=actor,
        target_repr=_("possible matches"),
        items=[item.pk for item in items],
    )


def item_confirm(*, actor: User, item: CheckItem, barred: bool, note: str = "") -> CheckItem:
    """The police or procuratorate decide a possible match: the same person (barred) or not."""
    require_perm(actor, "staffchecks.confirm_match", item)
    if item.result != CheckItem.Result.POSSIBLE:
        raise ValidationError(_("This match has been decided already."))
    today = timezone.localdate()
    before = {"result": item.result}
    item.result = CheckItem.Result.BARRED if barred else CheckItem.Result.CLEAR
    item.confirmed_by, item.confirmed_at = actor, timezone.now()
    if barred:
        item.action_due = today + timedelta(days=action_due_days())
    item.full_clean()
    with transaction.atomic(durable=True):
        item.save(update_fields=["result", "confirmed_by", "confirmed_at", "action_due"])
        _update_staff_dates(CheckItem.objects.filter(pk=item.pk), today)
        _refresh_counts(item.batch)
        _remember_decision(item, same_person=barred, actor=actor)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=item,
            target_repr=item.masked_name,
            section="confirm_match",
            changes=diff(item, before, ("result",)),
            note=note[:300],
        )
        from weibao.core.services import notify

        notify(
            recipients=_unit_users(item.batch.unit_id),
            title=Message(gettext_noop("A pending staff record check result has been decided")),
            link=item.batch.get_absolute_url(),
            kind="staffchecks",
        )
    return item


def _remember_decision(item: CheckItem, *, same_person: bool, actor: User) -> None:
    """Keep the decision on this (person, register record) pair for later checks, so that the
    police are not asked again next year (see matching). Inside `item_confirm`; the values come
    from the item just validated."""
    if item.matched_record_id is None:  # the record has left the register meanwhile
        return
    MatchDecision.objects.update_or_create(
        id_hash=item.id_hash,
        record_id=item.matched_record_id,
        defaults={
            "same_person": same_person,
            "item": item,
            "decided_by": actor,
            "decided_at": item.confirmed_at or timezone.now(),
        },
    )


def item_record_action(*, actor: User, item: CheckItem, action: str) -> CheckItem:
    """The unit records what it did about a barring result; dismissal or not hiring also marks
    the person as having left the roster."""
    require_perm(actor, "staffchecks.record_action", item)
    if item.result != CheckItem.Result.BARRED:
        raise ValidationError({"action": [_("Only a barring result needs an action.")]})
    if action not in (a for a in CheckItem.Action.values if a):
        raise ValidationError({"action": [_("Choose the action taken.")]})
    before = {"action": item.action}
    item.action, item.action_recorded_at = action, timezone.now()
    item.full_clean()
    with transaction.atomic(durable=True):
        item.save(update_fields=["action", "action_recorded_at"])
        staff = item.staff
        if (
            staff is not None
            and action in (CheckItem.Action.DISMISSED, CheckItem.Action.NOT_HIRED)
            and staff.status == StaffMember.Status.ACTIVE
        ):
            end = max(timezone.localdate(), staff.start_date)
            StaffMember.objects.filter(pk=staff.pk).update(
                status=StaffMember.Status.LEFT, end_date=end
            )
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=item,
            target_repr=item.masked_name,
            section="action",
            changes=diff(item, before, ("action",)),
        )
    return item


# Result letter -------------------------------------------------------------------------------


def letter_document(
    batch: CheckBatch, items: Sequence[CheckItem] | None = None
) -> documents.OfficialDocument:
    """The result letter to the unit: counts, and the people not to be employed, by name and
    masked ID number. No offence, category or register detail, ever."""
    chosen = list(items) if items is not None else list(batch.items.order_by("pk"))
    barred = [i for i in chosen if i.outcome == CheckItem.Result.BARRED]
    clear = [i for i in chosen if i.outcome == CheckItem.Result.CLEAR]
    pending = [i for i in chosen if i.unit_result == "pending"]
    body = [
        _(
            "At your request of %(date)s, the people below were checked against the register of "
            "people barred from work with children (未成年人保护法 Art. 62)."
        )
        % {"date": documents.chinese_date(timezone.localtime(batch.created_at).date())},
        "一、"
        + _("People checked: %(n)d; clear: %(clear)d; pending: %(pending)d.")
        % {"n": len(chosen), "clear": len(clear), "pending": len(pending)},
    ]
    if barred:
        body.append(
            "二、"
            + _(
                "The following people are not to be employed, or are to be removed from work "
                "with children at once. Record the action taken in Weibao within %(days)d days."
            )
            % {"days": action_due_days()}
        )
        body.extend(f"{i.name}（{i.masked_id_number}）" for i in barred)
    else:
        body.append("二、" + _("No one checked is barred from work with children."))
    body.append(
        "三、"
        + _(
            "The result reflects the register on the day of the check. Keep this letter "
            "confidential and use it only for staffing decisions."
        )
    )
    return documents.OfficialDocument(
        title=_("Staff record check result letter"),
        recipient=batch.unit.name,
        body=body,
        issuer=_("Weibao staff record check"),
        issued_on=timezone.localdate(),
        number=f"未保查〔{batch.year}〕{batch.pk}号",
    )


def batch_letter(*, actor: User, batch: CheckBatch, item: CheckItem | None = None) -> bytes:
    """The letter as .docx (for the batch, or one person of it); audited as a download."""
    require_perm(actor, "staffchecks.view_results", item or batch)
    doc = letter_document(batch, [item] if item is not None else None)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=item or batch,
        target_repr=str(batch),
        section="result_letter",
    )
    return documents.render(doc)
