"""Venues near schools: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, Organisation
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Tile
from weibao.core.pickers import DIVISION_PICKER, unit_picker
from weibao.kit.pickers import Picker
from weibao.venues.indicators import (
    FINDINGS,
    INSPECTION_COVERAGE,
    INSPECTIONS,
    RECTIFIED_ON_TIME,
    VENUES,
    VIOLATIONS_CLOSED,
    VIOLATIONS_OPEN,
    VIOLATIONS_OPENED,
)
from weibao.venues.kinds import SUPERVISING_KINDS
from weibao.venues.models import Venue, VenueQuerySet, Violation
from weibao.venues.waiting import waiting

PER_CENT = pgettext_lazy("indicator unit", "%")
K = Organisation.Kind


def venues_in_scope(user: Any) -> VenueQuerySet:
    return Venue.objects.for_user(user).select_related("village__parent")


def search_venues(found: QuerySet[Venue], text: str, user: Any) -> QuerySet[Venue]:
    """The venue's name, its credit code or its address."""
    return found.filter(
        Q(name__icontains=text) | Q(credit_code__iexact=text.upper()) | Q(address__icontains=text)
    ).order_by("name", "pk")


def venue_detail(venue: Venue) -> str:
    village = venue.village
    place = f"{village.parent.name}{village.name}" if village.parent else village.name
    return " · ".join(p for p in (venue.get_kind_display(), place, venue.address) if p)


VENUE_PICKER = Picker(
    name="venue",
    queryset=venues_in_scope,
    search=search_venues,
    label=lambda venue: venue.name,
    detail=venue_detail,
)
# The units that take part in inspections.
INSPECTING_UNIT_PICKER = unit_picker("venues_unit", {*SUPERVISING_KINDS, K.EDUCATION, K.TOWNSHIP})
TOWNSHIP_PICKER = DIVISION_PICKER.variant(
    "venues_township",
    lambda user: DIVISION_PICKER.queryset(user).filter(level=Division.Level.TOWNSHIP),
)


def violations_count(user: Any) -> int:
    """The venues in the user's reach that break a distance rule now."""
    return Violation.objects.for_user(user).open().values("venue").distinct().count()


APP = AppContract(
    tiles=[
        Tile(
            _("Venues breaking a distance rule"),
            violations_count,
            "venues:violation_list",
            85,
            "venues.view_venues",
        ),
    ],
    urls="weibao.venues.urls",
    url_prefix="venues/",
    menu=[
        MenuEntry(_("Venues near schools"), "venues:home", Group.SCHOOLS, 90, "venues.view_venues")
    ],
    waiting=[waiting],
    policy="weibao.venues.policy",
    tasks=["weibao.venues.tasks"],
    demo="weibao.venues.demo.seed",
    demo_order=85,
    api="weibao.venues.api.register",
    pickers=[VENUE_PICKER, INSPECTING_UNIT_PICKER, TOWNSHIP_PICKER],
    indicators=[
        Indicator(
            key="venues",
            label=_("Venues near schools registered"),
            unit=pgettext_lazy("indicator unit", "venues"),
            measure=VENUES,
            doc="Venues not closed, registered before the period's end, in the division; by kind "
            "of venue.",
        ),
        Indicator(
            key="violations_opened",
            label=_("Distance violations found"),
            unit=pgettext_lazy("indicator unit", "violations"),
            measure=VIOLATIONS_OPENED,
            doc="Venue-school pairs found breaking a distance rule in the period; by kind of "
            "venue.",
        ),
        Indicator(
            key="violations_closed",
            label=_("Distance violations closed"),
            unit=pgettext_lazy("indicator unit", "violations"),
            measure=VIOLATIONS_CLOSED,
            doc="Distance violations closed in the period (venue moved or closed, rule changed); "
            "by kind of venue.",
        ),
        Indicator(
            key="violations_open",
            label=_("Distance violations open"),
            unit=pgettext_lazy("indicator unit", "violations"),
            measure=VIOLATIONS_OPEN,
            doc="Distance violations open on the period's last day.",
        ),
        Indicator(
            key="inspections",
            label=_("Inspections of venues near schools"),
            unit=pgettext_lazy("indicator unit", "inspections"),
            measure=INSPECTIONS,
            doc="Inspections dated in the period of venues in the division; by kind of venue.",
        ),
        Indicator(
            key="inspection_coverage",
            label=_("Venues inspected"),
            unit=PER_CENT,
            share=INSPECTION_COVERAGE,
            doc="Per cent of venues not closed, registered before the period's end, inspected "
            "at least once in the period.",
        ),
        Indicator(
            key="findings",
            label=_("Findings at venues"),
            unit=pgettext_lazy("indicator unit", "findings"),
            measure=FINDINGS,
            doc="Checklist lines found broken in inspections dated in the period.",
        ),
        Indicator(
            key="rectified_on_time",
            label=_("Venue rectifications on time"),
            unit=PER_CENT,
            share=RECTIFIED_ON_TIME,
            doc="Per cent of rectification orders due in the period rectified by the deadline "
            "(a re-inspection found every finding put right).",
        ),
    ],
)
