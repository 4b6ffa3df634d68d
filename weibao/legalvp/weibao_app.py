"""Legal vice-principals: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry
from weibao.legalvp.services import waiting_items

APP = AppContract(
    urls="weibao.legalvp.urls",
    url_prefix="legal-vp/",
    menu=[
        MenuEntry(
            _("Legal vice-principals"), "legalvp:list", Group.SCHOOLS, 50, "legalvp.view_legalvp"
        )
    ],
    waiting=[waiting_items],
    policy="weibao.legalvp.policy",
    tasks=["weibao.legalvp.tasks"],
    demo="weibao.legalvp.demo.seed",
    demo_order=40,
    api="weibao.legalvp.api.register",
)
