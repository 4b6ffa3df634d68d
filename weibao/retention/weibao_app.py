"""Retention and impact assessments: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry

APP = AppContract(
    urls="weibao.retention.urls",
    url_prefix="retention/",
    menu=[
        MenuEntry(
            _("Retention rules"), "retention:rule_list", Group.SYSTEM, 40, "retention.view_rules"
        ),
        MenuEntry(
            _("Impact assessments"),
            "retention:pia_list",
            Group.SYSTEM,
            45,
            "retention.view_assessments",
        ),
    ],
    policy="weibao.retention.policy",
    tasks=["weibao.retention.tasks"],
    demo="weibao.retention.demo.seed",
    demo_order=200,
)
