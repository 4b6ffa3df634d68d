"""Orders to guardians (训诫, 督促监护令, 家庭教育指导令) and their follow-up visits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import User
from weibao.accounts.policy import in_court
from weibao.atrisk.models import AtRiskFile
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework.models import (
    Case,
    CaseworkSettings,
    FollowUp,
    GuardianOrder,
)
from weibao.casework.services._common import (
    K,
    save_fields,
    save_numbered,
    short_name,
    text_of,
    timeline,
    unit_users,
)
from weibao.core.services import notify
from weibao.kit import documents
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message
from weibao.people.models import Person

# Orders to guardians -----------------------------------------------------------------------------

LEGAL_BASIS = {
    GuardianOrder.Kind.ADMONITION: "《中华人民共和国未成年人保护法》第一百一十八条、"
    "《中华人民共和国家庭教育促进法》第四十九条",
    GuardianOrder.Kind.GUIDANCE_ORDER: "《中华人民共和国家庭教育促进法》第四十九条、"
    "《中华人民共和国预防未成年人犯罪法》第六十一条",
    GuardianOrder.Kind.URGING_ORDER: "《中华人民共和国未成年人保护法》第七条、第一百一十八条，"
    "《关于在办理涉未成年人案件中全面开展家庭教育指导工作的意见》",
    GuardianOrder.Kind.COURT_GUIDANCE: "《中华人民共和国家庭教育促进法》第四十九条",
}
ORDER_TITLES = {
    GuardianOrder.Kind.ADMONITION: "训诫书",
    GuardianOrder.Kind.GUIDANCE_ORDER: "责令接受家庭教育指导决定书",
    GuardianOrder.Kind.URGING_ORDER: "督促监护令",
    GuardianOrder.Kind.COURT_GUIDANCE: "家庭教育指导令",
}
# The at-risk file's measure kind for each order, so the order shows on the minor's file.
MEASURE_KIND = {
    GuardianOrder.Kind.ADMONITION: "admonition",
    GuardianOrder.Kind.GUIDANCE_ORDER: "guidance_order",
    GuardianOrder.Kind.URGING_ORDER: "urging_order",
    GuardianOrder.Kind.COURT_GUIDANCE: "guidance_order",
}


def order_number(order: GuardianOrder) -> str:
    mark = {K.COURT: "法", K.PROCURATORATE: "检"}.get(order.issuer.kind, "公")  # type: ignore[call-overload]
    return f"{short_name(order.issuer)}{mark}家令〔{order.year}〕{order.serial}号"


def guardian_order_issue(*, actor: User, data: Mapping[str, Any]) -> GuardianOrder:
    """Issue an order to a minor's guardians, with follow-up visits at the county's interval.

    If the minor has an open at-risk file, the order is linked to it and recorded there as a
    measure (through the at-risk services), so it shows on the minor's file.
    """
    require_perm(actor, "casework.issue_order")
    kind, child = text_of(data, "kind"), data.get("child")
    errors: dict[str, list[str]] = {}
    if kind not in GuardianOrder.Kind.values:
        errors["kind"] = [_("Choose the kind of order.")]
    elif kind == GuardianOrder.Kind.COURT_GUIDANCE and not in_court(actor):
        errors["kind"] = [_("Only a court issues a family-education guidance order.")]
    if not isinstance(child, Person):
        errors["child"] = [_("Choose the minor from the register.")]
    guardian = data.get("guardian")
    guardian_name = text_of(data, "guardian_name") or (
        guardian.name if isinstance(guardian, Person) else ""
    )
    if not guardian_name:
        errors["guardian_name"] = [_("Give the guardian's name.")]
    for field in ("facts", "required_actions"):
        if not text_of(data, field):
            errors[field] = [_("This field is required.")]
    issued_on = data.get("issued_on") or timezone.localdate()
    if not isinstance(issued_on, date) or issued_on > timezone.localdate():
        errors["issued_on"] = [_("This date is in the future.")]
    visits = data.get("followups", 3)
    if not isinstance(visits, int) or not 0 <= visits <= 12:
        errors["followups"] = [_("Give between 0 and 12 follow-up visits.")]
    raise_if(errors)
    assert isinstance(child, Person) and isinstance(issued_on, date) and isinstance(visits, int)
    file = (
        data.get("atrisk_file")
        or AtRiskFile.objects.filter(person=child, closed_at__isnull=True).first()
    )
    case = data.get("case")
    order = GuardianOrder(
        year=issued_on.year,
        serial=0,
        kind=kind,
        issuer=actor.organisation,
        child=child,
        guardian=guardian if isinstance(guardian, Person) else None,
        guardian_name=guardian_name,
        case=case if isinstance(case, Case) else None,
        atrisk_file=file if isinstance(file, AtRiskFile) else None,
        facts=text_of(data, "facts"),
        legal_basis=text_of(data, "legal_basis") or LEGAL_BASIS[GuardianOrder.Kind(kind)],
        required_actions=text_of(data, "required_actions"),
        issued_on=issued_on,
        issued_by=actor,
    )
    order.full_clean(exclude=["serial", "number", "year"])
    interval = CaseworkSettings.current().followup_days
    with transaction.atomic(durable=True):
        save_numbered(order, order_number)
        FollowUp.objects.bulk_create(
            FollowUp(order=order, due_date=issued_on + timedelta(days=interval * (i + 1)))
            for i in range(visits)
        )
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=order,
            target_repr=order.number,
            kind=kind,
            followups=visits,
        )
        if order.case is not None:
            timeline(
                actor=actor,
                case=order.case,
                kind="guardian_order",
                text=Message(gettext_noop("Order to guardians %(n)s issued."), {"n": order.number}),
            )
        if order.atrisk_file is not None:
            _record_on_file(actor, order)
    return order


def _record_on_file(actor: User, order: GuardianOrder) -> None:
    """Put the order on the minor's at-risk file as a measure, if the actor's unit may."""
    from weibao.atrisk import services as atrisk_services

    assert order.atrisk_file is not None
    try:
        with transaction.atomic():
            atrisk_services.measure_record(
                actor=actor,
                file=order.atrisk_file,
                data={
                    "kind": MEASURE_KIND[GuardianOrder.Kind(order.kind)],
                    "decided_on": order.issued_on,
                    "notes": order.number,
                },
            )
    except (ValidationError, PermissionDenied):
        pass  # The unit may not record measures there; the order still links to the file.


def followup_record(*, actor: User, followup: FollowUp, data: Mapping[str, Any]) -> FollowUp:
    require_perm(actor, "casework.record_followup", followup.order)
    done_on, outcome = data.get("done_on"), text_of(data, "outcome")
    compliance = text_of(data, "compliance")
    errors: dict[str, list[str]] = {}
    if not isinstance(done_on, date) or done_on > timezone.localdate():
        errors["done_on"] = [_("Give the date of the visit (not in the future).")]
    if not outcome:
        errors["outcome"] = [_("Say what the visit found.")]
    if compliance and compliance not in GuardianOrder.Compliance.values:
        errors["compliance"] = [_("Choose from the list.")]
    raise_if(errors)
    with transaction.atomic(durable=True):
        followup.done_on, followup.outcome, followup.recorded_by = done_on, outcome, actor
        save_fields(followup, ["done_on", "outcome", "recorded_by"])
        order = followup.order
        if compliance:
            order.compliance = compliance
            save_fields(order, ["compliance"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=order,
            target_repr=order.number,
            step="followup",
            followup=followup.pk,
            compliance=order.compliance,
        )
    return followup


def order_document(*, actor: User, order: GuardianOrder) -> bytes:
    """The order as a Word document (GB/T 9704); the download is audited."""
    require_perm(actor, "casework.view_order", order)
    child = order.child
    body = [
        f"被监护人：{child.name}，{child.get_sex_display()}，{documents.chinese_date(child.birth_date)}出生。",
        "一、查明的事实",
        order.facts,
        "二、法律依据",
        order.legal_basis,
        "三、责令履行的事项",
        order.required_actions,
    ]
    if order.followups.exists():
        dates = "、".join(documents.chinese_date(f.due_date) for f in order.followups.all())
        body.append(f"本单位将于{dates}进行回访，请予配合。")
    doc = documents.OfficialDocument(
        title=ORDER_TITLES[GuardianOrder.Kind(order.kind)],
        body=body,
        issuer=order.issuer.name,
        issued_on=order.issued_on,
        number=order.number,
        recipient=order.guardian_name,
    )
    content = documents.render(doc)
    record(
        AuditEvent.Action.DOWNLOAD,
        actor=actor,
        target=order,
        target_repr=order.number,
        format="docx",
    )
    return content


def order_guidance_report(
    *, actor: User, order: GuardianOrder, result: str, compliance: str
) -> GuardianOrder:
    """The family-education guidance on an order is finished: its result goes to the issuing
    unit (a notification), and the order's compliance is set from it. Called by the unit that
    gave the guidance (weibao.family), inside its own transaction."""
    require_perm(actor, "casework.report_guidance", order)
    errors: dict[str, list[str]] = {}
    if not result.strip():
        errors["result"] = [_("Say what the guidance achieved.")]
    if compliance not in GuardianOrder.Compliance.values:
        errors["compliance"] = [_("Choose from the list.")]
    raise_if(errors)
    order.compliance = compliance
    save_fields(order, ["compliance"])
    record(
        AuditEvent.Action.UPDATE,
        actor=actor,
        target=order,
        target_repr=order.number,
        step="guidance_reported",
        compliance=compliance,
    )
    notify(
        recipients=unit_users(order.issuer),
        title=Message(
            gettext_noop("Family-education guidance on order %(n)s finished: %(compliance)s"),
            {"n": order.number, "compliance": GuardianOrder.Compliance(compliance).label},
        ),
        body=Message(gettext_noop("Reported by %(unit)s."), {"unit": actor.organisation}),
        link=order.get_absolute_url(),
        kind="casework.guidance_reported",
        webhook_units=[order.issuer],
    )
    return order
