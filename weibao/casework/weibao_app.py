"""Linked casework: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.casework.indicators import guardian_orders, late_reports, mandatory_reports
from weibao.casework.waiting import waiting
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry

APP = AppContract(
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
            compute=mandatory_reports,
            doc="Mandatory reports filed in the period about a place in the division.",
        ),
        Indicator(
            key="late_reports",
            label=_("Units found to have reported late or not at all"),
            unit=pgettext_lazy("indicator unit", "cases"),
            compute=late_reports,
            doc="Late or missing reports recorded in the period, on reports about a place in "
            "the division (Minors Protection Law Art. 117).",
        ),
        Indicator(
            key="guardian_orders",
            label=_("Orders to guardians issued"),
            unit=pgettext_lazy("indicator unit", "orders"),
            compute=guardian_orders,
            doc="Orders to guardians (admonitions, guidance and guardianship orders) issued in "
            "the period, for minors living in the division.",
        ),
    ],
)
