"""Drowning prevention: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import (
    AppContract,
    Group,
    Indicator,
    MenuEntry,
    PersonSection,
    SectionRow,
    Tile,
)
from weibao.core.pickers import USER_PICKER
from weibao.drowning.indicators import (
    ASSIGNMENT_COVERAGE,
    CUSTODIAN_SHARE,
    DEATHS,
    HIGH_RISK_EQUIPPED_SHARE,
    INCIDENTS,
    LETTER_RECEIPT_COVERAGE,
    PATROLS,
    SIGN_INSPECTION_COVERAGE,
)
from weibao.drowning.models import Assignment, HazardousWater, Incident
from weibao.drowning.services.assignments import assignable_users
from weibao.drowning.waiting import sign_inspection_waiting, waiting

# The officials and teachers an assignment may name (weibao.drowning.services.assignments).
ASSIGNEE_PICKER = USER_PICKER.variant("drowning-assignee", assignable_users)

PER_CENT = pgettext_lazy("indicator unit", "%")


def assignment_rows(user: Any, person: Any) -> list[SectionRow]:
    rows = Assignment.objects.for_user(user).filter(child=person).select_related("assignee")
    return [
        SectionRow(
            a.assignee.full_name or a.assignee.username,
            f"{a.year} {a.get_season_display()}",
            a.assigned_on,
            a.get_absolute_url(),
        )
        for a in rows.order_by("-year", "-assigned_on")[:20]
    ]


def incident_rows(user: Any, person: Any) -> list[SectionRow]:
    rows = Incident.objects.for_user(user).filter(person=person).order_by("-occurred_at")
    return [
        SectionRow(
            str(i.get_outcome_display()),
            f"{i.get_circumstance_display()} · {i.get_activity_display()}",
            timezone.localdate(i.occurred_at),
            i.get_absolute_url(),
        )
        for i in rows[:20]
    ]


def waters_count(user: Any) -> int:
    return HazardousWater.objects.for_user(user).count()


APP = AppContract(
    person_sections=[
        PersonSection(_("Named responsibility"), assignment_rows, 50, "drowning.view_assignments"),
        PersonSection(_("Drowning incidents"), incident_rows, 60, "drowning.view_incidents"),
    ],
    tiles=[
        Tile(_("Hazardous waters"), waters_count, "drowning:water_list", 90, "drowning.view_waters")
    ],
    urls="weibao.drowning.urls",
    url_prefix="drowning/",
    menu=[
        MenuEntry(
            _("Drowning prevention"), "drowning:home", Group.MINORS, 80, "drowning.view_drowning"
        ),
        MenuEntry(
            _("Hazardous waters map"), "drowning:map", Group.MINORS, 81, "drowning.view_waters"
        ),
        MenuEntry(
            _("Waters overdue for a patrol"),
            "drowning:patrols_overdue",
            Group.MINORS,
            82,
            "drowning.patrol",
        ),
        MenuEntry(
            _("Patrol plan"), "drowning:patrol_plan", Group.MINORS, 83, "drowning.view_waters"
        ),
        MenuEntry(
            _("Letters to parents"),
            "drowning:letter_list",
            Group.MINORS,
            84,
            "drowning.view_letters",
        ),
        MenuEntry(
            _("Named responsibility"),
            "drowning:assignment_list",
            Group.MINORS,
            85,
            "drowning.view_assignments",
        ),
        MenuEntry(
            _("Summer sign inspection"),
            "drowning:sign_inspection_list",
            Group.MINORS,
            86,
            "drowning.view_sign_inspections",
        ),
    ],
    pickers=[ASSIGNEE_PICKER],
    waiting=[waiting, sign_inspection_waiting],
    policy="weibao.drowning.policy",
    tasks=["weibao.drowning.tasks"],
    demo="weibao.drowning.demo.seed",
    demo_order=80,
    api="weibao.drowning.api.register",
    indicators=[
        Indicator(
            key="incidents",
            label=_("Drowning incidents of minors"),
            unit=pgettext_lazy("indicator unit", "incidents"),
            measure=INCIDENTS,
            doc="Drowning incidents and near-drownings of minors dated in the period, placed in "
            "the division (the water's village, or the place given); by circumstance.",
        ),
        Indicator(
            key="deaths",
            label=_("Drowning deaths of minors"),
            unit=pgettext_lazy("indicator unit", "deaths"),
            measure=DEATHS,
            doc="Incidents in the period in which the child died; by circumstance.",
        ),
        Indicator(
            key="high_risk_equipped_share",
            label=_("High-risk waters with all four ones"),
            unit=PER_CENT,
            share=HIGH_RISK_EQUIPPED_SHARE,
            doc="Per cent of high-risk waters registered before the period's end whose warning "
            "sign, rescue pole, rope and life ring are all in place now.",
        ),
        Indicator(
            key="custodian_share",
            label=_("Deep waters with a custodian"),
            unit=PER_CENT,
            share=CUSTODIAN_SHARE,
            doc="Per cent of waters deeper than 0.5 m registered before the period's end with at "
            "least one custodian.",
        ),
        Indicator(
            key="patrols_held",
            label=_("Patrols of hazardous waters"),
            unit=pgettext_lazy("indicator unit", "patrols"),
            measure=PATROLS,
            doc="Patrols dated in the period of waters in the division.",
        ),
        Indicator(
            key="letter_receipt_coverage",
            label=_("Letters to parents with a receipt"),
            unit=PER_CENT,
            share=LETTER_RECEIPT_COVERAGE,
            doc="Per cent of the pupils (in the register now) of schools in the division whose "
            "parents returned the receipt of each letter to parents issued in the period.",
        ),
        Indicator(
            key="assignment_coverage",
            label=_("Children with a named official"),
            unit=PER_CENT,
            share=ASSIGNMENT_COVERAGE,
            doc="Per cent of the children living in the division who are to be assigned on the "
            "period's last day (aged 3 to 15, or left behind) with an assignment for a season "
            "of the period's years made before its end.",
        ),
        Indicator(
            key="sign_inspection_coverage",
            label=_("Schools that inspected the warning signs in summer"),
            unit=PER_CENT,
            share=SIGN_INSPECTION_COVERAGE,
            doc="Per cent of the open schools in the division that reported a summer inspection "
            "of the warning signs and rescue equipment in their catchment, dated in the period.",
        ),
    ],
)
