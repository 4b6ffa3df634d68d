"""The distance rules (rule_param): set by the county coordinator, never edited in place.

Setting a rule for a kind closes the one in force (valid_to = today) and opens the new one from
today; ending a county rule closes it. The national rule for internet cafés (200 m from primary
and secondary schools) may be made stricter (further, or more kinds of school), never looser or
ended. Either change starts the county-wide re-check as a job with a progress bar.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.models import Job
from weibao.core.services import job_start
from weibao.kit.fielderrors import Errors, error
from weibao.kit.guards import raise_if, require_perm
from weibao.schools.models import School
from weibao.venues.kinds import NATIONAL_KIND, NATIONAL_METRES, PRIMARY_AND_SECONDARY, VenueKind
from weibao.venues.models import DistanceRule

MAX_METRES = 5000
RECHECK_JOB = "venues_recheck"


def _start_recheck(actor: User) -> Job:
    return job_start(
        actor=actor,
        kind=RECHECK_JOB,
        title=_("Re-check venues against schools"),
        link=reverse("venues:violation_list"),
    )


def rule_set(*, actor: User, data: Mapping[str, Any]) -> tuple[DistanceRule, Job]:
    """A new distance rule for a kind from today, in place of the one in force; starts the
    re-check of every venue."""
    require_perm(actor, "venues.set_rules")
    errors: Errors = {}
    kind = str(data.get("kind") or "")
    school_kinds = sorted({str(k) for k in data.get("school_kinds") or ()})
    metres = data.get("metres")
    basis = " ".join(str(data.get("basis") or "").split())
    if kind not in VenueKind.values:
        error(errors, "kind", _("Choose the kind of venue."), "required")
    if not school_kinds:
        error(errors, "school_kinds", _("Choose the schools the rule protects."), "required")
    elif any(k not in School.Kind.values for k in school_kinds):
        error(errors, "school_kinds", _("Choose kinds of school from the list."))
    if not isinstance(metres, int) or isinstance(metres, bool) or not 1 <= metres <= MAX_METRES:
        message = _("Give a distance from 1 to %(max)d metres.") % {"max": MAX_METRES}
        error(errors, "metres", message)
    if not basis:
        error(errors, "basis", _("Give the rule's legal basis (the notice or regulation)."))
    if kind == NATIONAL_KIND and "metres" not in errors and "school_kinds" not in errors:
        assert isinstance(metres, int)
        if metres < NATIONAL_METRES or not set(PRIMARY_AND_SECONDARY) <= set(school_kinds):
            message = _(
                "The national rule keeps internet cafés at least %(m)d m from every primary and "
                "secondary school: a county rule may be stricter, not looser."
            ) % {"m": NATIONAL_METRES}
            error(errors, "metres", message, "looser_than_national")
    raise_if(errors)
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        current = DistanceRule.objects.select_for_update().filter(kind=kind).current().first()
        if current is not None:
            current.valid_to = today
            current.save(update_fields=["valid_to"])
        rule = DistanceRule(
            kind=kind,
            school_kinds=school_kinds,
            metres=metres,  # type: ignore[misc]
            valid_from=today,
            national=kind == NATIONAL_KIND,
            basis=basis[:200],
            set_by=actor,
        )
        rule.full_clean(exclude=["set_by"])
        rule.save()
        record(
            AuditEvent.Action.CREATE,
            actor=actor,
            target=rule,
            target_repr=str(rule),
            operation="rule_set",
            kind=kind,
            metres=metres,
            school_kinds=school_kinds,
            replaced=current.pk if current else None,
        )
        job = _start_recheck(actor)
    return rule, job


def rule_end(*, actor: User, rule: DistanceRule) -> Job:
    """End a county rule from today; the national rule cannot be ended."""
    require_perm(actor, "venues.set_rules")
    if rule.national:
        raise ValidationError(_("The national rule cannot be ended."), code="national")
    if rule.valid_to is not None:
        raise ValidationError(_("This rule has already ended."), code="ended")
    with transaction.atomic(durable=True):
        locked = DistanceRule.objects.select_for_update().get(pk=rule.pk)
        if locked.valid_to is not None:
            raise ValidationError(_("This rule has already ended."), code="ended")
        rule.valid_to = timezone.localdate()
        rule.save(update_fields=["valid_to"])
        record(
            AuditEvent.Action.UPDATE,
            actor=actor,
            target=rule,
            target_repr=str(rule),
            operation="rule_end",
        )
        job = _start_recheck(actor)
    return job
