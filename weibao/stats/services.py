"""Every write of the statistics app: population figures and targets, each by the county
coordinator only, validated, audited, in one transaction; and the target's state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import diff, record, snapshot
from weibao.kit.guards import raise_if, require_perm
from weibao.stats import definitions as defs
from weibao.stats.models import Population, Stale, Target, TargetState

MET, NOT_MET, NO_TARGET, NOT_YET_KNOWN = (
    TargetState.MET,
    TargetState.NOT_MET,
    TargetState.NO_TARGET,
    TargetState.NOT_YET_KNOWN,
)


def population_set(
    *, actor: User, division: Division, year: int, minors: int, note: str = ""
) -> Population:
    """Enter (or correct) the minors of the county or a township in a year."""
    require_perm(actor, "stats.manage_populations")
    with transaction.atomic():
        population_write(actor=actor, division=division, year=year, minors=minors, note=note)
        Stale.objects.create(key=defs.MINORS)
    return Population.objects.get(division=division, year=year)


def population_write(
    *, actor: User, division: Division, year: int, minors: int, note: str = ""
) -> str:
    """Write one division's year (inside the caller's transaction; the caller marks the
    denominators stale): "created", "updated" or "unchanged"."""
    require_perm(actor, "stats.manage_populations")
    errors: dict[str, list[Any]] = {}
    if division.level not in (Division.Level.COUNTY, Division.Level.TOWNSHIP):
        errors["division"] = [_("Give the county or one of its townships.")]
    raise_if(errors)
    found = Population.objects.select_for_update().filter(division=division, year=year)
    population = found.first() or Population(division=division, year=year)
    fields = ["minors", "note", "source"]
    before = snapshot(population, fields)
    created = population.pk is None
    population.minors, population.note = minors, note.strip()
    population.source = Population.Source.ENTERED
    changes = diff(population, before, fields)
    if not created and not changes:
        return "unchanged"
    population.entered_by = actor
    population.full_clean()
    population.save()
    record(
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        actor=actor,
        target=population,
        target_repr=str(population),
        changes=changes,
    )
    return "created" if created else "updated"


def population_delete(*, actor: User, population: Population) -> None:
    """Remove an entered figure: the register's count is used again."""
    require_perm(actor, "stats.manage_populations")
    with transaction.atomic():
        record(
            AuditEvent.Action.DELETE, actor=actor, target=population, target_repr=str(population)
        )
        population.delete()
        Stale.objects.create(key=defs.MINORS)


def target_set(
    *, actor: User, key: str, year: int, comparison: str, value: Decimal | None = None
) -> Target:
    """Set the target of a definition for a year; a change replaces the old one (the audit log
    keeps what it was)."""
    require_perm(actor, "stats.manage_targets")
    errors: dict[str, list[Any]] = {}
    if key not in defs.definitions():
        errors["key"] = [_("There is no such figure.")]
    needs_value = comparison in (Target.Comparison.AT_MOST, Target.Comparison.AT_LEAST)
    if needs_value and value is None:
        errors["value"] = [_("Give the value this target compares with.")]
    if not needs_value:
        value = None
    raise_if(errors)
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(key=key, year=year).first() or Target(
            key=key, year=year
        )
        fields = ["comparison", "value"]
        before = snapshot(target, fields)
        created = target.pk is None
        target.comparison, target.value, target.set_by = comparison, value, actor
        try:
            target.full_clean()
        except ValidationError:
            raise
        target.save()
        record(
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            actor=actor,
            target=target,
            target_repr=str(target),
            changes=diff(target, before, fields),
        )
    return target


def target_state(key: str, year: int, division: Division | None = None) -> TargetState:
    """met / not_met / no_target / not_yet_known, for the figure's whole year (not yet known
    before the year has ended, or when a figure has no value)."""
    from django.utils import timezone

    from weibao.stats import engine
    from weibao.stats.periods import StatPeriod

    target = Target.objects.filter(key=key, year=year).first()
    if target is None:
        return NO_TARGET
    if timezone.localdate().year <= year or key not in defs.definitions():
        return NOT_YET_KNOWN
    periods = [StatPeriod.year(year), StatPeriod.year(year - 1)]
    cells = engine.raw_cells(key, periods, division=division)
    this = cells[periods[0].key].value
    if this is None:
        return NOT_YET_KNOWN
    C = Target.Comparison
    if target.comparison == C.ZERO:
        met = this == 0
    elif target.comparison == C.AT_MOST:
        met = target.value is not None and this <= target.value
    elif target.comparison == C.AT_LEAST:
        met = target.value is not None and this >= target.value
    else:
        last = cells[periods[1].key].value
        if last is None:
            return NOT_YET_KNOWN
        met = this < last
    return MET if met else NOT_MET
