"""The at-risk minors database: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.atrisk.indicators import files_opened, misconduct_events
from weibao.atrisk.waiting import waiting
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry

APP = AppContract(
    urls="weibao.atrisk.urls",
    url_prefix="at-risk/",
    menu=[MenuEntry(_("At-risk minors"), "atrisk:list", Group.MINORS, 20, "atrisk.list_files")],
    waiting=[waiting],
    policy="weibao.atrisk.policy",
    tasks=["weibao.atrisk.tasks"],
    demo="weibao.atrisk.demo.seed",
    demo_order=20,
    api="weibao.atrisk.api.register",
    indicators=[
        Indicator(
            key="atrisk_files_opened",
            label=_("At-risk files opened"),
            unit=pgettext_lazy("indicator unit", "files"),
            compute=files_opened,
            doc="At-risk files opened in the period (by the opening date) for minors living in "
            "the division.",
        ),
        Indicator(
            key="misconduct_events",
            label=_("Misconduct events of minors"),
            unit=pgettext_lazy("indicator unit", "events"),
            compute=misconduct_events,
            doc="Misconduct events (sealed ones included) that took place in the period, "
            "involving at least one minor living in the division; a group event counts once.",
        ),
    ],
)
