"""The liaison group's notices: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry
from weibao.notices.waiting import waiting

APP = AppContract(
    urls="weibao.notices.urls",
    url_prefix="notices/",
    menu=[
        MenuEntry(_("Notices"), "notices:list", Group.SCHOOLS, 30, "notices.view_sent"),
        MenuEntry(_("My notices"), "notices:inbox", Group.SCHOOLS, 40, "notices.view_inbox"),
    ],
    waiting=[waiting],
    policy="weibao.notices.policy",
    tasks=["weibao.notices.tasks"],
    demo="weibao.notices.demo.seed",
    demo_order=30,
    api="weibao.notices.api.register",
)
