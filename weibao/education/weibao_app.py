"""Law education: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.education.indicators import schools_reached, sessions_held
from weibao.education.waiting import waiting

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
    waiting=[waiting],
    policy="weibao.education.policy",
    demo="weibao.education.demo.seed",
    demo_order=50,
    api="weibao.education.api.register",
    indicators=[
        Indicator(
            key="sessions_held",
            label=_("Law-education sessions held"),
            unit=pgettext_lazy("indicator unit", "sessions"),
            compute=sessions_held,
            doc="Law-education sessions recorded as held, dated in the period, at a school or "
            "in a village or community of the division.",
        ),
        Indicator(
            key="schools_reached",
            label=_("Schools that held law-education sessions"),
            unit=pgettext_lazy("indicator unit", "schools"),
            compute=schools_reached,
            doc="Schools of the division with at least one law-education session held in the "
            "period (the coverage of 法治宣教全覆盖).",
        ),
    ],
)
