"""The distance check: every operating venue against every open school, under the rules in
force, on the WGS-84 ellipsoid (weibao.kit.geo.pairs_within). The result is the set of
violations that should be open; `reconcile` brings the stored ones to it: it opens the new ones
(telling each supervising unit), closes those no longer found (saying why) and updates the rule
or distance of those still found. Idempotent: a second run changes nothing.

Runs on a venue's save and on an import (those venues), when a school moves, opens or closes
(that school: a queued task from the school's save), when a rule changes (everything, as a job
with a progress bar) and nightly (everything, as a safety net).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from weibao.core.services import notify, unit_staff
from weibao.kit import geo
from weibao.kit.messages import Message, plural_message
from weibao.schools.models import School
from weibao.venues.models import DistanceRule, Venue, Violation

Point = tuple[int, float, float]
Found = dict[tuple[int, int], tuple[int, float]]  # (venue, school) -> (rule, metres)
TENTH = Decimal("0.1")


@dataclass
class Outcome:
    opened: int = 0
    closed: int = 0
    updated: int = 0
    checked: int = 0
    new: list[Violation] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.checked} venues checked: {self.opened} opened, {self.closed} closed, "
            f"{self.updated} updated"
        )


def school_points(school_ids: Iterable[int] | None = None) -> dict[str, list[Point]]:
    """Open schools with coordinates, as (pk, lat, lng) by school kind."""
    rows = School.objects.open().filter(latitude__isnull=False, longitude__isnull=False)
    if school_ids is not None:
        rows = rows.filter(pk__in=list(school_ids))
    by_kind: dict[str, list[Point]] = defaultdict(list)
    for pk, kind, lat, lng in rows.values_list("pk", "kind", "latitude", "longitude"):
        if lat is not None and lng is not None:
            by_kind[kind].append((pk, float(lat), float(lng)))
    return by_kind


def venue_points(venue_ids: Iterable[int] | None = None) -> dict[str, list[Point]]:
    """Operating venues as (pk, lat, lng) by kind."""
    rows = Venue.objects.operating()
    if venue_ids is not None:
        rows = rows.filter(pk__in=list(venue_ids))
    by_kind: dict[str, list[Point]] = defaultdict(list)
    for pk, kind, lat, lng in rows.values_list("pk", "kind", "latitude", "longitude"):
        by_kind[kind].append((pk, float(lat), float(lng)))
    return by_kind


def compute(
    venues: dict[str, list[Point]], schools: dict[str, list[Point]], rules: Iterable[DistanceRule]
) -> Found:
    """The violations the rules find: (venue, school) -> (rule, metres)."""
    found: Found = {}
    for rule in rules:
        kind_venues = venues.get(rule.kind, [])
        centres = [point for kind in rule.school_kinds for point in schools.get(kind, [])]
        if not kind_venues or not centres:
            continue
        for school_pk, venue_pk, metres in geo.pairs_within(centres, kind_venues, rule.metres):
            found[(venue_pk, school_pk)] = (rule.pk, metres)
    return found


def _metres(value: float) -> Decimal:
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def recheck(
    *,
    venue_ids: Iterable[int] | None = None,
    school_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Check the given venues (or every venue) against the given schools (or every school) and
    reconcile the open violations among them. Inside the caller's transaction if there is one."""
    venue_ids = None if venue_ids is None else list(venue_ids)
    school_ids = None if school_ids is None else list(school_ids)
    rules = list(DistanceRule.objects.in_force())
    venues = venue_points(venue_ids)
    found = compute(venues, school_points(school_ids), rules)
    stored = Violation.objects.open()
    if venue_ids is not None:
        stored = stored.filter(venue_id__in=venue_ids)
    if school_ids is not None:
        stored = stored.filter(school_id__in=school_ids)
    outcome = Outcome(checked=sum(len(v) for v in venues.values()))
    with transaction.atomic():
        _reconcile(stored, found, rules, outcome, progress)
    return outcome


def _reconcile(
    stored: Iterable[Violation],
    found: Found,
    rules: list[DistanceRule],
    outcome: Outcome,
    progress: Callable[[int, int], None] | None,
) -> None:
    now = timezone.now()
    in_force = {rule.pk: rule for rule in rules}
    kinds_ruled = {rule.kind for rule in rules}
    existing = list(stored.select_related("venue").select_for_update(of=("self",)))  # type: ignore[attr-defined]
    total = len(existing) + len(found)
    seen: set[tuple[int, int]] = set()
    to_close: dict[str, list[int]] = defaultdict(list)
    to_update: list[Violation] = []
    for done, violation in enumerate(existing, 1):
        key = (violation.venue_id, violation.school_id)
        if key in found:
            seen.add(key)
            rule_pk, metres = found[key]
            distance = _metres(metres)
            if violation.rule_id != rule_pk or violation.distance_m != distance:
                violation.rule_id, violation.distance_m = rule_pk, distance
                to_update.append(violation)
        elif violation.venue.status == Venue.Status.CLOSED:
            to_close[Violation.Reason.VENUE_CLOSED].append(violation.pk)
        elif violation.venue.kind not in kinds_ruled or violation.rule_id not in in_force:
            to_close[Violation.Reason.RULE_ENDED].append(violation.pk)
        else:
            to_close[Violation.Reason.CLEARED].append(violation.pk)
        if progress and done % 500 == 0:
            progress(done, total)
    for reason, pks in to_close.items():
        for start in range(0, len(pks), 500):
            Violation.objects.filter(pk__in=pks[start : start + 500]).update(
                closed_at=now, close_reason=reason
            )
        outcome.closed += len(pks)
    if to_update:
        Violation.objects.bulk_update(to_update, ["rule", "distance_m"], batch_size=500)
        outcome.updated = len(to_update)
    new = [
        Violation(
            venue_id=venue_pk,
            school_id=school_pk,
            rule_id=rule_pk,
            distance_m=_metres(metres),
            opened_at=now,
        )
        for (venue_pk, school_pk), (rule_pk, metres) in found.items()
        if (venue_pk, school_pk) not in seen
    ]
    # Pairs already open outside the stored set (a partial check): never a second open row.
    if new:
        open_pairs = set(
            Violation.objects.open()
            .filter(venue_id__in={v.venue_id for v in new})
            .values_list("venue_id", "school_id")
        )
        new = [v for v in new if (v.venue_id, v.school_id) not in open_pairs]
        outcome.new = Violation.objects.bulk_create(new, batch_size=500)
        outcome.opened = len(new)
        _tell(new)
    if progress:
        progress(total, total)


def _tell(new: list[Violation]) -> None:
    """Tell each supervising unit of the violations opened for its venues."""
    venues = Venue.objects.in_bulk({v.venue_id for v in new})
    by_unit: dict[int, list[Violation]] = defaultdict(list)
    for violation in new:
        unit_id = venues[violation.venue_id].supervising_unit_id
        if unit_id:
            by_unit[unit_id].append(violation)
    if not by_unit:
        return
    from weibao.accounts.models import Organisation

    units = Organisation.objects.in_bulk(list(by_unit))
    for unit_id, items in by_unit.items():
        notify(
            recipients=unit_staff([units[unit_id]]),
            title=plural_message(
                "%(n)d venue breaks a distance rule near a school",
                "%(n)d venues break a distance rule near a school",
                "n",
                {"n": len({v.venue_id for v in items})},
            ),
            body=Message(gettext_noop("Check the venues and act on the distance rule.")),
            link=reverse("venues:violation_list"),
            kind="venues_violation",
        )
