"""Staff criminal-record checks: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.staffchecks.indicators import barred_found, people_checked
from weibao.staffchecks.waiting import waiting

APP = AppContract(
    urls="weibao.staffchecks.urls",
    url_prefix="staff-checks/",
    menu=[
        MenuEntry(
            _("Staff checks"), "staffchecks:home", Group.CHECKS, 10, "staffchecks.view_staffchecks"
        ),
        MenuEntry(
            _("Offender register"),
            "staffchecks:register",
            Group.CHECKS,
            20,
            "staffchecks.view_register",
        ),
        MenuEntry(
            _("Check compliance"),
            "staffchecks:compliance",
            Group.CHECKS,
            30,
            "staffchecks.view_compliance",
        ),
    ],
    waiting=[waiting],
    policy="weibao.staffchecks.policy",
    tasks=["weibao.staffchecks.tasks"],
    demo="weibao.staffchecks.demo.seed",
    demo_order=60,
    api="weibao.staffchecks.api.register",
    indicators=[
        Indicator(
            key="people_checked",
            label=_("People checked against the barring register"),
            unit=pgettext_lazy("indicator unit", "people"),
            compute=people_checked,
            doc="Check items of requests completed in the period, for units in the division.",
        ),
        Indicator(
            key="barred_found",
            label=_("People found barred from work with children"),
            unit=pgettext_lazy("indicator unit", "people"),
            compute=barred_found,
            doc="Of those, the items whose result is barred (exact match, confirmed possible "
            "match or national query platform hit).",
        ),
    ],
)
