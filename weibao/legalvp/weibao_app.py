"""Legal vice-principals: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.legalvp.indicators import appointments_issued, law_classes
from weibao.legalvp.waiting import waiting

APP = AppContract(
    urls="weibao.legalvp.urls",
    url_prefix="legal-vp/",
    menu=[
        MenuEntry(
            _("Legal vice-principals"), "legalvp:list", Group.SCHOOLS, 50, "legalvp.view_legalvp"
        )
    ],
    waiting=[waiting],
    policy="weibao.legalvp.policy",
    tasks=["weibao.legalvp.tasks"],
    demo="weibao.legalvp.demo.seed",
    demo_order=40,
    api="weibao.legalvp.api.register",
    indicators=[
        Indicator(
            key="appointments_issued",
            label=_("Legal vice-principal letters of appointment issued"),
            unit=pgettext_lazy("indicator unit", "appointments"),
            compute=appointments_issued,
            doc="Appointments (first terms and renewals) whose letter was issued in the period, "
            "serving a school of the division.",
        ),
        Indicator(
            key="law_classes",
            label=_("Law-education classes by legal vice-principals"),
            unit=pgettext_lazy("indicator unit", "classes"),
            compute=law_classes,
            doc="Law-education duty records (FD1) dated in the period at schools of the division.",
        ),
    ],
)
