"""The figures an assessment item reads (Item.Kind.INDICATOR), per unit and year.

A rules module: each figure is counted in SQL straight from the records of the app it reads,
never through a user's scope (the assessment is an aggregate). `UnitFigure.values(units, year)`
counts every unit at once in one or two queries; `value(unit, year)` is one unit's reading.

A share with nothing to count (no task due, no meeting asked to, no school, no staff) reads as
`None`: the scoring gives it full points (不涉及的项目不扣分) and says so in the source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Organisation
from weibao.casework.models import Case
from weibao.education.models import Session
from weibao.mechanisms.models import Attendance, Task
from weibao.schools.models import School
from weibao.staffchecks.models import CheckBatch, CheckItem, StaffMember
from weibao.venues.indicators import ORDERS_ON_TIME
from weibao.venues.models import RectificationOrder

PER_CENT = "%"


@dataclass(frozen=True)
class Reading:
    """A figure's value for one unit and year, with what it was counted from."""

    value: Decimal | None
    numerator: int
    denominator: int
    note: str = ""


def share(numerator: int, denominator: int, note: str = "") -> Reading:
    """numerator / denominator in per cent (2 places); None when there is nothing to count."""
    if not denominator:
        return Reading(None, numerator, denominator, note)
    value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Reading(value, numerator, denominator, note)


Counter = Callable[[list[int], int], dict[int, Reading]]


@dataclass(frozen=True)
class UnitFigure:
    code: str
    label: Promise | str
    unit: Promise | str  # "%" or a count label
    count: Counter

    def values(self, units: Iterable[Organisation | int], year: int) -> dict[int, Reading]:
        """The reading of every unit (by id) for the year."""
        ids = [u if isinstance(u, int) else u.pk for u in units]
        found = self.count(ids, year) if ids else {}
        return {pk: found.get(pk) or share(0, 0) for pk in ids}

    def value(self, unit: Organisation, year: int) -> Reading:
        return self.values([unit.pk], year)[unit.pk]


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def tasks_on_time(ids: list[int], year: int) -> dict[int, Reading]:
    """Tasks owned by the unit with a deadline in the year: accepted with the result submitted
    by the deadline / due."""
    start, end = _year(year)
    rows = (
        Task.objects.filter(owner_id__in=ids, deadline__gte=start, deadline__lte=end)
        .values("owner_id")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(state=Task.State.DONE, submitted_on__lte=F("deadline")),
            ),
        )
        .order_by()
    )
    return {r["owner_id"]: share(r["on_time"], r["due"]) for r in rows}


def meeting_attendance(ids: list[int], year: int) -> dict[int, Reading]:
    """Meetings held in the year (up to today) that the unit was asked to: present / asked."""
    start, end = _year(year)
    end = min(end, timezone.localdate())
    rows = (
        Attendance.objects.filter(
            unit_id__in=ids, meeting__held_on__gte=start, meeting__held_on__lte=end
        )
        .values("unit_id")
        .annotate(asked=Count("pk"), present=Count("pk", filter=Q(present=True)))
        .order_by()
    )
    return {r["unit_id"]: share(r["present"], r["asked"]) for r in rows}


def law_education_coverage(ids: list[int], year: int) -> dict[int, Reading]:
    """The unit's schools (a school itself; an education bureau the schools under it) open in
    the year that held at least one law-education session in it (education's own count:
    held sessions at the school, distinct schools) / the schools."""
    start, end = _year(year)
    schools = (
        School.objects.filter(Q(organisation_id__in=ids) | Q(organisation__parent_id__in=ids))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values_list("pk", "organisation_id", "organisation__parent_id")
    )
    of_unit: dict[int, set[int]] = defaultdict(set)
    wanted = set(ids)
    for school, unit, parent in schools:
        for owner in (unit, parent):
            if owner in wanted:
                of_unit[owner].add(school)
    every = set().union(*of_unit.values()) if of_unit else set()
    reached = set(
        Session.objects.held()
        .filter(school_id__in=every, date__gte=start, date__lte=end)
        .values_list("school_id", flat=True)
        .distinct()
    )
    return {unit: share(len(s & reached), len(s)) for unit, s in of_unit.items()}


def record_check_compliance(ids: list[int], year: int) -> dict[int, Reading]:
    """The unit's active staff on its rosters checked against the register by a request
    completed in the year / the active staff."""
    start, end = _year(year)
    checked = CheckItem.objects.filter(
        batch__status=CheckBatch.Status.DONE,
        batch__completed_at__date__gte=start,
        batch__completed_at__date__lte=end,
    ).values("staff_id")
    rows = (
        StaffMember.objects.active()
        .filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(staff=Count("pk"), checked=Count("pk", filter=Q(pk__in=checked)))
        .order_by()
    )
    return {r["unit_id"]: share(r["checked"], r["staff"]) for r in rows}


def reports_accepted_on_time(ids: list[int], year: int) -> dict[int, Reading]:
    """Mandatory reports whose acceptance fell due in the year at the unit (the receiving
    police unit): accepted by the time limit / due."""
    start, end = _year(year)
    rows = (
        Case.objects.filter(
            police_unit_id__in=ids,
            accept_due_at__date__gte=start,
            accept_due_at__date__lte=end,
        )
        .values("police_unit_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(accepted_at__lte=F("accept_due_at"))),
        )
        .order_by()
    )
    return {r["police_unit_id"]: share(r["on_time"], r["due"]) for r in rows}


def venue_rectification_on_time(ids: list[int], year: int) -> dict[int, Reading]:
    """Rectification orders from the unit's inspections due in the year: rectified by the
    deadline (the venues' own rule: their indicator's rows) / due."""
    start, end = _year(year)
    rows = (
        RectificationOrder.objects.filter(
            inspection__inspecting_unit_id__in=ids, deadline__gte=start, deadline__lte=end
        )
        .values("inspection__inspecting_unit_id")
        .annotate(
            due=Count("pk"),
            rectified=Count("pk", filter=Q(pk__in=ORDERS_ON_TIME.rows().values("pk"))),
        )
        .order_by()
    )
    return {r["inspection__inspecting_unit_id"]: share(r["rectified"], r["due"]) for r in rows}


UNIT_FIGURES: dict[str, UnitFigure] = {
    figure.code: figure
    for figure in (
        UnitFigure("tasks_on_time", _("Tasks done on time"), PER_CENT, tasks_on_time),
        UnitFigure("meeting_attendance", _("Meeting attendance"), PER_CENT, meeting_attendance),
        UnitFigure(
            "law_education_coverage",
            _("Law-education coverage of the unit's schools"),
            PER_CENT,
            law_education_coverage,
        ),
        UnitFigure(
            "record_check_compliance",
            _("Staff checked against the register"),
            PER_CENT,
            record_check_compliance,
        ),
        UnitFigure(
            "reports_accepted_on_time",
            _("Mandatory reports accepted on time"),
            PER_CENT,
            reports_accepted_on_time,
        ),
        UnitFigure(
            "venue_rectification_on_time",
            _("Venue rectifications on time"),
            PER_CENT,
            venue_rectification_on_time,
        ),
    )
}


def figure_choices() -> list[tuple[str, str]]:
    return [(code, str(f.label)) for code, f in UNIT_FIGURES.items()]
