"""Law education: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, MenuEntry
from weibao.education.services import waiting_items

APP = AppContract(
    urls="weibao.education.urls",
    url_prefix="law-education/",
    menu=[
        MenuEntry(
            _("Law-education sessions"),
            "education:session_list",
            Group.SCHOOLS,
            60,
            "education.view_sessions",
        ),
        MenuEntry(
            _("Law-education coverage"),
            "education:coverage",
            Group.SCHOOLS,
            70,
            "education.view_coverage",
        ),
        MenuEntry(
            _("Case library"), "education:case_list", Group.SCHOOLS, 80, "education.view_cases"
        ),
    ],
    waiting=[waiting_items],
    policy="weibao.education.policy",
    demo="weibao.education.demo.seed",
    demo_order=50,
    api="weibao.education.api.register",
)
