"""Links from the register to the other apps, through their services (never their tables):

- a minor suspect who is a person of the register goes to the at-risk database: a T4 measure
  ("criminal case opened", or the non-prosecution decided) on the minor's open file, opened
  first when there is none (weibao.atrisk.services);
- a minor victim who is a person of the register is referred to civil affairs for relief and
  judicial aid (司法救助) (weibao.casework.services.referrals.child_referral_create).

Both are idempotent: the suspect or victim keeps the record it made, and a second call answers
with it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.models import Organisation, User
from weibao.atrisk.models import AtRiskFile, Measure
from weibao.atrisk.services.files import file_open
from weibao.atrisk.services.records import measure_record
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.casework.models import Referral
from weibao.casework.services.referrals import child_referral_create
from weibao.crimes.models import Decision, Suspect, Victim
from weibao.kit.guards import require_perm

# The at-risk measure a suspect's prosecution decision stands for (T4 in every case).
MEASURE_OF_DECISION: dict[str, str] = {
    Decision.Kind.NOT_PROSECUTE: Measure.Kind.NON_PROSECUTION,
    Decision.Kind.CONDITIONAL: Measure.Kind.CONDITIONAL,
}


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def suspect_send_to_atrisk(*, actor: User, suspect: Suspect) -> Measure:
    """Put a minor suspect of the register on the at-risk database as in the criminal process
    (T4): a measure on the minor's open file (opened if there is none). Idempotent."""
    require_perm(actor, "crimes.keep_suspect", suspect)
    require_perm(actor, "atrisk.report_event")
    if suspect.atrisk_measure_id is not None and suspect.atrisk_measure is not None:
        return suspect.atrisk_measure
    person = suspect.person
    if person is None:
        raise _refuse("person", _("Only a suspect who is a person of the register can be sent."))
    if not suspect.minor:
        raise _refuse("person", _("The suspect was not a minor at the offence."))
    decisions = list(suspect.decisions.all())
    prosecution = next((d for d in decisions if d.stage == Decision.Stage.PROSECUTION), None)
    kind = MEASURE_OF_DECISION.get(prosecution.kind if prosecution else "", "")
    kind = kind or Measure.Kind.CRIMINAL_CASE
    decided_on = max((d.decided_on for d in decisions), default=suspect.case.offence_date)
    file = AtRiskFile.objects.filter(person=person, closed_at__isnull=True).first()
    if file is None:
        file = file_open(actor=actor, person=person)
    with transaction.atomic(durable=True):
        locked = Suspect.objects.select_for_update().get(pk=suspect.pk)
        if locked.atrisk_measure_id is not None:
            measure = Measure.objects.get(pk=locked.atrisk_measure_id)
        else:
            measure = measure_record(
                actor=actor,
                file=file,
                data={
                    "kind": kind,
                    "decided_on": decided_on,
                    "notes": _("Criminal case %(number)s") % {"number": suspect.case.number},
                },
            )
            locked.atrisk_measure = measure
            locked.save(update_fields=["atrisk_measure"])
            record(
                AuditEvent.Action.UPDATE,
                actor=actor,
                target=suspect.case,
                target_repr=f"{_('criminal case')} {suspect.case.number}",
                suspect=suspect.pk,
                atrisk_measure=measure.pk,
            )
    suspect.atrisk_measure = measure
    return measure


def relief_unit() -> Organisation | None:
    """The county's civil-affairs bureau, which takes relief and judicial-aid referrals."""
    units = Organisation.objects.active().filter(kind=Organisation.Kind.CIVIL_AFFAIRS)
    return units.order_by("division__code", "pk").first()


def victim_refer(*, actor: User, victim: Victim) -> Referral:
    """Refer a minor victim of the register to civil affairs for relief and judicial aid
    (司法救助). Idempotent: the first referral is kept and answered with."""
    require_perm(actor, "crimes.keep_victim", victim)
    if victim.referral_id is not None and victim.referral is not None:
        return victim.referral
    person = victim.person
    if person is None:
        raise _refuse("person", _("Only a victim who is a person of the register can be referred."))
    if not victim.minor:
        raise _refuse("person", _("The victim was not a minor at the offence."))
    unit = relief_unit()
    if unit is None:
        raise _refuse("to_unit", _("There is no civil-affairs bureau on the platform to refer to."))
    referral, _created = child_referral_create(
        actor=actor,
        child=person,
        data={
            "to_unit": unit,
            "action": Referral.Action.RELIEF,
            "request": _(
                "A minor victim of criminal case %(number)s: assess the child's need for relief "
                "and judicial aid (司法救助)."
            )
            % {"number": victim.case.number},
        },
        idempotency_key=f"crimes-victim-{victim.pk}",
    )
    with transaction.atomic(durable=True):
        Victim.objects.filter(pk=victim.pk).update(referral=referral)
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=victim.case,
            target_repr=f"{_('criminal case')} {victim.case.number}",
            victim=victim.pk,
            referral=referral.pk,
        )
    victim.referral = referral
    return referral
