"""Applications to read sealed records (刑诉规则 Art. 484): apply, decide, and who may read."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.models import Role, User
from weibao.atrisk.models import (
    AtRiskFile,
    SealedQueryApplication,
)
from weibao.atrisk.services._common import (
    MIN_REASON_LENGTH,
    _repr,
)
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit.guards import raise_if, require_perm
from weibao.kit.messages import Message


def sealed_query_apply(
    *, actor: User, file: AtRiskFile, legal_basis: str, purpose: str
) -> SealedQueryApplication:
    """Apply, in writing, to read a file's sealed records (decided within 7 days, Art. 484)."""
    from weibao.core.services import notify

    require_perm(actor, "atrisk.apply_sealed", file)
    errors: dict[str, list[str]] = {}
    for field, value in (("legal_basis", legal_basis), ("purpose", purpose)):
        if len(" ".join((value or "").split())) < MIN_REASON_LENGTH:
            errors[field] = [
                _("State this in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}
            ]
    raise_if(errors)
    with transaction.atomic(durable=True):
        application = SealedQueryApplication(
            file=file,
            applicant=actor,
            legal_basis=" ".join(legal_basis.split()),
            purpose=" ".join(purpose.split()),
        )
        application.full_clean()
        application.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=application,
            target_repr=_repr(file),
            legal_basis=application.legal_basis,
            purpose=application.purpose,
        )
        notify(
            recipients=User.objects.filter(role=Role.COUNTY_COORDINATOR, is_active=True),
            title=Message(gettext_noop("A sealed-record query application waits for a decision")),
            link="/at-risk/sealed/",
            kind="atrisk_sealed",
        )
    return application


def sealed_query_decide(
    *,
    actor: User,
    application: SealedQueryApplication,
    approve: bool,
    expires_on: date | None = None,
    note: str = "",
) -> SealedQueryApplication:
    """A county coordinator approves (until a date) or refuses; never their own application."""
    from weibao.core.services import notify

    require_perm(actor, "atrisk.decide_sealed", application)
    errors: dict[str, list[str]] = {}
    if application.applicant_id == actor.pk:
        errors["decision"] = [_("You cannot decide your own application.")]
    elif application.decision != SealedQueryApplication.Decision.PENDING:
        errors["decision"] = [_("The application was already decided.")]
    if approve and (expires_on is None or expires_on < timezone.localdate()):
        errors["expires_on"] = [_("Give an expiry date that is not in the past.")]
    raise_if(errors)
    D = SealedQueryApplication.Decision
    with transaction.atomic(durable=True):
        application.decision = D.APPROVED if approve else D.REFUSED
        application.approver, application.decided_at = actor, timezone.now()
        application.expires_on = expires_on if approve else None
        application.decision_note = " ".join((note or "").split())[:300]
        application.full_clean()
        application.save()
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=application,
            target_repr=_repr(application.file),
            decision=application.decision,
            expires_on=str(expires_on or ""),
        )
        notify(
            recipients=[application.applicant],
            title=Message(gettext_noop("Your sealed-record query application was decided")),
            link=application.file.get_absolute_url(),
            kind="atrisk_sealed",
        )
    return application


def may_see_sealed_grade(actor: User, file: AtRiskFile) -> bool:
    return SealedQueryApplication.objects.filter(
        file=file,
        applicant=actor,
        decision=SealedQueryApplication.Decision.APPROVED,
        expires_on__gte=timezone.localdate(),
    ).exists()
