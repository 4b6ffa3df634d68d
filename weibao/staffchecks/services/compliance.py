"""Compliance: which close-contact units have checked their staff, for the overseers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.models import Division, Organisation, User
from weibao.accounts.policy import in_education_bureau, is_county_coordinator
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.kit import spreadsheets
from weibao.kit.guards import require_perm
from weibao.staffchecks.models import (
    CLOSE_CONTACT_KINDS,
    EDUCATION_KINDS,
    CheckItem,
    StaffMember,
)
from weibao.staffchecks.services._common import (
    _clean_purpose,
)

# Compliance ---------------------------------------------------------------------------------


@dataclass
class UnitCompliance:
    unit: Organisation
    township: str
    staff: int
    not_checked: int
    hires_before_clear: int
    barred_no_action: int
    has_roster: bool

    @property
    def has_gaps(self) -> bool:
        return (
            bool(self.not_checked or self.hires_before_clear or self.barred_no_action)
            or not self.has_roster
        )


@dataclass
class Compliance:
    units: list[UnitCompliance]
    by_township: list[dict[str, Any]]
    by_kind: list[dict[str, Any]]
    totals: dict[str, int]


def compliance_units(user: User) -> QuerySet[Organisation]:
    """The close-contact units whose compliance the user oversees."""
    units = Organisation.objects.active().filter(kind__in=CLOSE_CONTACT_KINDS)
    if is_county_coordinator(user):
        return units
    if in_education_bureau(user):
        return units.filter(Q(kind__in=EDUCATION_KINDS) | Q(pk__in=user.scope.org_ids))
    return units.none()


def compliance(*, user: User, as_of: date | None = None) -> Compliance:
    """Per unit: staff not checked in 12 months, new hires who started before a clear result,
    barring results without a recorded action, and whether a roster was ever uploaded."""
    today = as_of or timezone.localdate()
    year_ago = today - timedelta(days=365)
    active = Q(staff__status=StaffMember.Status.ACTIVE)
    barred = (
        CheckItem.objects.barred_without_action()
        .filter(batch__unit=OuterRef("pk"))
        .order_by()
        .values("batch__unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = (
        compliance_units(user)
        .select_related("division")
        .annotate(
            n_staff=Count("staff", filter=active),
            n_all=Count("staff"),
            n_not_checked=Count(
                "staff",
                filter=active
                & (Q(staff__last_checked_on__isnull=True) | Q(staff__last_checked_on__lt=year_ago)),
            ),
            n_hires=Count(
                "staff",
                filter=active
                & Q(staff__start_date__gt=year_ago, staff__start_date__lte=today)
                & (
                    Q(staff__first_cleared_on__isnull=True)
                    | Q(staff__first_cleared_on__gt=F("staff__start_date"))
                ),
            ),
            n_barred=Coalesce(Subquery(barred), 0),
        )
        .order_by("division__code", "name")
    )
    townships = {d.code: d.name for d in Division.objects.filter(level=Division.Level.TOWNSHIP)}
    rows = [
        UnitCompliance(
            unit=u,
            township=townships.get(u.division.code[:9] + "000", u.division.name),
            staff=u.n_staff,
            not_checked=u.n_not_checked,
            hires_before_clear=u.n_hires,
            barred_no_action=u.n_barred,
            has_roster=bool(u.n_all),
        )
        for u in units
    ]
    return Compliance(
        units=rows,
        by_township=_group(rows, lambda r: r.township),
        by_kind=_group(rows, lambda r: str(r.unit.get_kind_display())),
        totals=_sum(rows),
    )


def _sum(rows: Sequence[UnitCompliance]) -> dict[str, int]:
    return {
        "units": len(rows),
        "staff": sum(r.staff for r in rows),
        "not_checked": sum(r.not_checked for r in rows),
        "hires_before_clear": sum(r.hires_before_clear for r in rows),
        "barred_no_action": sum(r.barred_no_action for r in rows),
        "no_roster": sum(1 for r in rows if not r.has_roster),
    }


def _group(
    rows: Sequence[UnitCompliance], key: Callable[[UnitCompliance], str]
) -> list[dict[str, Any]]:
    groups: dict[str, list[UnitCompliance]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return [{"name": name, **_sum(members)} for name, members in groups.items()]


def compliance_export(*, actor: User, purpose: str) -> bytes:
    """The compliance table as .xlsx; the purpose is required and audited."""
    require_perm(actor, "staffchecks.export_compliance")
    purpose = _clean_purpose(purpose)
    data = compliance(user=actor)
    content = spreadsheets.workbook_bytes(
        _("Staff checks compliance"),
        [
            _("Unit"),
            _("Kind"),
            _("Township"),
            _("Active staff"),
            _("Not checked in 12 months"),
            _("New hires without a prior clear result"),
            _("Barring results without action"),
            _("Roster uploaded"),
        ],
        (
            [
                r.unit.name,
                str(r.unit.get_kind_display()),
                r.township,
                r.staff,
                r.not_checked,
                r.hires_before_clear,
                r.barred_no_action,
                _("yes") if r.has_roster else _("no"),
            ]
            for r in data.units
        ),
        (30, 16, 14, 10, 14, 18, 16, 10),
    )
    record(
        AuditEvent.Action.EXPORT,
        actor=actor,
        target_repr=_("staff checks compliance"),
        purpose=purpose,
        rows=len(data.units),
    )
    return content
