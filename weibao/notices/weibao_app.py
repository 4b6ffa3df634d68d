"""The liaison group's notices: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.notices.indicators import NOTICE_REPLY_RATE, NOTICES_SENT
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
    indicators=[
        Indicator(
            key="notices_sent",
            label=_("Notices sent to schools"),
            unit=pgettext_lazy("indicator unit", "notices"),
            measure=NOTICES_SENT,
            doc="Notices sent in the period that reached at least one school of the division.",
        ),
        Indicator(
            key="notice_reply_rate",
            label=_("Schools that answered a notice"),
            unit="%",
            share=NOTICE_REPLY_RATE,
            doc="Of (notice, school) pairs sent in the period asking for an answer, the share "
            "answered; withdrawn notices left out.",
        ),
    ],
)
