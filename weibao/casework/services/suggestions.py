"""Procuratorial suggestions (检察建议): issue, reply, assessment, the Word document."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Organisation, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record
from weibao.casework.models import (
    Case,
    CaseworkSettings,
    Suggestion,
    add_months,
)
from weibao.casework.services._common import (
    save_fields,
    save_numbered,
    short_name,
    text_of,
    timeline,
    unit_users,
)
from weibao.core.services import notify
from weibao.kit import documents

# Procuratorial suggestions -----------------------------------------------------------------------
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message


def suggestion_number(s: Suggestion) -> str:
    return f"{short_name(s.issuer)}检未建〔{s.year}〕{s.serial}号"


def suggestion_issue(*, actor: User, data: Mapping[str, Any]) -> Suggestion:
    """Issue a procuratorial suggestion (检察建议) to a unit, numbered per year."""
    require_perm(actor, "casework.issue_suggestion")
    unit = data.get("unit")
    errors: dict[str, list[str]] = {}
    if not isinstance(unit, Organisation):
        errors["unit"] = [_("Choose the unit the suggestion is addressed to.")]
    for field in ("problem", "suggestion", "legal_basis"):
        if not text_of(data, field):
            errors[field] = [_("This field is required.")]
    issued_on = data.get("issued_on") or timezone.localdate()
    if not isinstance(issued_on, date) or issued_on > timezone.localdate():
        errors["issued_on"] = [_("This date is in the future.")]
    raise_if(errors)
    assert isinstance(issued_on, date)
    reply_due = data.get("reply_due") or add_months(
        issued_on, CaseworkSettings.current().suggestion_reply_months
    )
    if not isinstance(reply_due, date) or reply_due < issued_on:
        raise ValidationError({"reply_due": [_("The reply cannot fall due before the issue.")]})
    case = data.get("case")
    suggestion = Suggestion(
        year=issued_on.year,
        serial=0,
        issuer=actor.organisation,
        unit=unit,
        case=case if isinstance(case, Case) else None,
        problem=text_of(data, "problem"),
        suggestion=text_of(data, "suggestion"),
        legal_basis=text_of(data, "legal_basis"),
        issued_on=issued_on,
        reply_due=reply_due,
        issued_by=actor,
    )
    suggestion.full_clean(exclude=["serial", "number", "year"])
    with transaction.atomic(durable=True):
        save_numbered(suggestion, suggestion_number)
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=suggestion,
            target_repr=suggestion.number,
            unit=str(unit),
        )
        if suggestion.case is not None:
            timeline(
                actor=actor,
                case=suggestion.case,
                kind="suggestion",
                text=Message(
                    gettext_noop("Procuratorial suggestion %(n)s issued to %(unit)s."),
                    {"n": suggestion.number, "unit": unit},
                ),
            )
        assert isinstance(unit, Organisation)
        notify(
            recipients=unit_users(unit),
            title=Message(
                gettext_noop("Procuratorial suggestion %(n)s: reply due %(due)s"),
                {"n": suggestion.number, "due": reply_due},
            ),
            link=suggestion.get_absolute_url(),
            kind="casework.suggestion",
            webhook_units=[unit],
        )
    return suggestion


def suggestion_reply(*, actor: User, suggestion: Suggestion, data: Mapping[str, Any]) -> Suggestion:
    require_perm(actor, "casework.reply_suggestion", suggestion)
    reply, measures = text_of(data, "reply"), text_of(data, "measures")
    errors: dict[str, list[str]] = {}
    if not reply:
        errors["reply"] = [_("Write the unit's reply.")]
    if not measures:
        errors["measures"] = [_("Say what measures were taken.")]
    if suggestion.assessed_at is not None:
        errors["reply"] = [_("The suggestion has been assessed; the reply cannot change.")]
    raise_if(errors)
    with transaction.atomic(durable=True):
        suggestion.reply, suggestion.measures = reply, measures
        suggestion.replied_at = timezone.now()
        save_fields(suggestion, ["reply", "measures", "replied_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=suggestion,
            target_repr=suggestion.number,
            step="reply",
            late=timezone.localdate() > suggestion.reply_due,
        )
        notify(
            recipients=unit_users(suggestion.issuer),
            title=Message(
                gettext_noop("%(unit)s replied to suggestion %(n)s"),
                {"unit": suggestion.unit, "n": suggestion.number},
            ),
            link=suggestion.get_absolute_url(),
            kind="casework.suggestion",
        )
    return suggestion


def suggestion_assess(
    *, actor: User, suggestion: Suggestion, data: Mapping[str, Any]
) -> Suggestion:
    require_perm(actor, "casework.assess_suggestion", suggestion)
    assessment = text_of(data, "assessment")
    if assessment not in Suggestion.Assessment.values:
        raise ValidationError({"assessment": [_("Choose an assessment from the list.")]})
    if suggestion.replied_at is None:
        raise ValidationError({"assessment": [_("The unit has not replied yet.")]})
    with transaction.atomic(durable=True):
        before = {"assessment": suggestion.assessment}
        suggestion.assessment = assessment
        suggestion.assessment_note = text_of(data, "assessment_note")
        suggestion.assessed_at = timezone.now()
        save_fields(suggestion, ["assessment", "assessment_note", "assessed_at"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=suggestion,
            target_repr=suggestion.number,
            step="assess",
            changes=diff(suggestion, before, ["assessment"]),
        )
    return suggestion


def suggestion_document(*, actor: User, suggestion: Suggestion) -> bytes:
    """The suggestion as a Word document (GB/T 9704); the download is audited."""
    require_perm(actor, "casework.view_suggestion", suggestion)
    body = [
        "一、发现的问题",
        suggestion.problem,
        "二、检察建议",
        suggestion.suggestion,
        "三、法律依据",
        suggestion.legal_basis,
        f"请于{documents.chinese_date(suggestion.reply_due)}前将落实情况书面回复本院。",
    ]
    doc = documents.OfficialDocument(
        title="检察建议书",
        body=body,
        issuer=suggestion.issuer.name,
        issued_on=suggestion.issued_on,
        number=suggestion.number,
        recipient=suggestion.unit.name,
        header=f"{suggestion.issuer.name}",
    )
    content = documents.render(doc)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=suggestion,
        target_repr=suggestion.number,
        format="docx",
    )
    return content
