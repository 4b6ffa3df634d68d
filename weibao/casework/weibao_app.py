"""Linked casework: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.casework.waiting import waiting
from weibao.core.contract import AppContract, Group, MenuEntry

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
)
