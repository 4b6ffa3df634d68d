"""The mechanisms: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry

APP = AppContract(
    urls="weibao.mechanisms.urls",
    url_prefix="mechanisms/",
    menu=[
        MenuEntry(
            _("Leading group"), "mechanisms:home", Group.MECHANISMS, 10, "mechanisms.view_group"
        ),
    ],
    policy="weibao.mechanisms.policy",
    demo="weibao.mechanisms.demo.seed",
    demo_order=150,
)
