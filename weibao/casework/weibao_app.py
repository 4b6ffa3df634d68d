"""Linked casework: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from weibao.casework.indicators import GUARDIAN_ORDERS, LATE_REPORTS, MANDATORY_REPORTS
from weibao.casework.models import REFERRAL_UNIT_KINDS, Case, GuardianOrder, Referral
from weibao.casework.waiting import waiting
from weibao.core.contract import (
    AppContract,
    Group,
    Indicator,
    MenuEntry,
    PersonSection,
    SectionRow,
    Tile,
)
from weibao.core.pickers import unit_picker


def cases_in_progress(user: Any) -> int:
    return Case.objects.for_user(user).exclude(status=Case.Status.CLOSED).count()


def referrals_open(user: Any) -> int:
    return Referral.objects.for_user(user).open().count()


REFERRAL_UNIT_PICKER = unit_picker("casework-referral-unit", REFERRAL_UNIT_KINDS)


def report_rows(user: Any, person: Any) -> list[SectionRow]:
    cases = Case.objects.for_user(user).about(person).order_by("-filed_at")[:20]
    return [
        SectionRow(
            gettext("Mandatory report %(n)s") % {"n": c.pk},
            str(c.get_status_display()),
            timezone.localdate(c.filed_at),
            c.get_absolute_url(),
        )
        for c in cases
    ]


def referral_rows(user: Any, person: Any) -> list[SectionRow]:
    about = Q(case__child=person) | Q(atrisk_file__person=person) | Q(child=person)
    referrals = (
        Referral.objects.for_user(user)
        .filter(about)
        .select_related("from_unit", "to_unit")
        .order_by("-created_at")[:20]
    )
    return [
        SectionRow(
            str(r.get_action_display()),
            f"{r.from_unit} → {r.to_unit} · {r.get_status_display()}",
            timezone.localdate(r.created_at),
            r.get_absolute_url(),
        )
        for r in referrals
    ]


def order_rows(user: Any, person: Any) -> list[SectionRow]:
    orders = GuardianOrder.objects.for_user(user).filter(child=person).order_by("-issued_on")
    return [
        SectionRow(o.number, str(o.get_kind_display()), o.issued_on, o.get_absolute_url())
        for o in orders[:20]
    ]


APP = AppContract(
    person_sections=[
        PersonSection(_("Mandatory reports"), report_rows, 20, "casework.view_cases"),
        PersonSection(_("Referrals"), referral_rows, 30, "casework.view_referrals"),
        PersonSection(_("Orders to guardians"), order_rows, 40, "casework.view_orders"),
    ],
    pickers=[REFERRAL_UNIT_PICKER],
    tiles=[
        Tile(
            _("Reports in progress"),
            cases_in_progress,
            "casework:case_list",
            40,
            "casework.view_cases",
        ),
        Tile(
            _("Referrals open"),
            referrals_open,
            "casework:referral_list",
            45,
            "casework.view_referrals",
        ),
    ],
    urls="weibao.casework.urls",
    url_prefix="casework/",
    menu=[
        MenuEntry(
            _("Mandatory reports"), "casework:case_list", Group.CASES, 10, "casework.view_cases"
        ),
        MenuEntry(
            _("Referrals"), "casework:referral_list", Group.CASES, 20, "casework.view_referrals"
        ),
        MenuEntry(
            _("Supervision list"),
            "casework:supervision_list",
            Group.CASES,
            30,
            "casework.view_supervision",
        ),
    ],
    waiting=[waiting],
    policy="weibao.casework.policy",
    tasks=["weibao.casework.tasks"],
    demo="weibao.casework.demo.seed",
    demo_order=70,
    api="weibao.casework.api.register",
    indicators=[
        Indicator(
            key="mandatory_reports",
            label=_("Mandatory reports filed"),
            unit=pgettext_lazy("indicator unit", "reports"),
            measure=MANDATORY_REPORTS,
            doc="Mandatory reports filed in the period about a place in the division.",
        ),
        Indicator(
            key="late_reports",
            label=_("Units found to have reported late or not at all"),
            unit=pgettext_lazy("indicator unit", "cases"),
            measure=LATE_REPORTS,
            doc="Late or missing reports recorded in the period, on reports about a place in "
            "the division (Minors Protection Law Art. 117).",
        ),
        Indicator(
            key="guardian_orders",
            label=_("Orders to guardians issued"),
            unit=pgettext_lazy("indicator unit", "orders"),
            measure=GUARDIAN_ORDERS,
            doc="Orders to guardians (admonitions, guidance and guardianship orders) issued in "
            "the period, for minors living in the division; by kind of order.",
        ),
    ],
)
