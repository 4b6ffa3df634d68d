"""The at-risk minors database: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.atrisk.waiting import atrisk_waiting
from weibao.core.contract import AppContract, Group, MenuEntry

APP = AppContract(
    urls="weibao.atrisk.urls",
    url_prefix="at-risk/",
    menu=[MenuEntry(_("At-risk minors"), "atrisk:list", Group.MINORS, 20, "atrisk.list_files")],
    waiting=[atrisk_waiting],
    policy="weibao.atrisk.policy",
    tasks=["weibao.atrisk.tasks"],
    demo="weibao.atrisk.demo.seed",
    demo_order=20,
    api="weibao.atrisk.api.register",
)
