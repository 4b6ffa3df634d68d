"""Drowning prevention: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.drowning.indicators import (
    custodian_share,
    deaths,
    high_risk_equipped_share,
    incidents,
    patrols_held,
)
from weibao.drowning.waiting import waiting

PER_CENT = pgettext_lazy("indicator unit", "%")

APP = AppContract(
    urls="weibao.drowning.urls",
    url_prefix="drowning/",
    menu=[
        MenuEntry(
            _("Drowning prevention"), "drowning:home", Group.MINORS, 80, "drowning.view_drowning"
        )
    ],
    waiting=[waiting],
    policy="weibao.drowning.policy",
    tasks=["weibao.drowning.tasks"],
    demo="weibao.drowning.demo.seed",
    demo_order=80,
    api="weibao.drowning.api.register",
    indicators=[
        Indicator(
            key="incidents",
            label=_("Drowning incidents of minors"),
            unit=pgettext_lazy("indicator unit", "incidents"),
            compute=incidents,
            doc="Drowning incidents and near-drownings of minors dated in the period, placed in "
            "the division (the water's village, or the place given).",
        ),
        Indicator(
            key="deaths",
            label=_("Drowning deaths of minors"),
            unit=pgettext_lazy("indicator unit", "deaths"),
            compute=deaths,
            doc="Incidents in the period in which the child died.",
        ),
        Indicator(
            key="high_risk_equipped_share",
            label=_("High-risk waters with all four ones"),
            unit=PER_CENT,
            compute=high_risk_equipped_share,
            doc="Per cent of high-risk waters registered before the period's end whose warning "
            "sign, rescue pole, rope and life ring are all in place now.",
        ),
        Indicator(
            key="custodian_share",
            label=_("Deep waters with a custodian"),
            unit=PER_CENT,
            compute=custodian_share,
            doc="Per cent of waters deeper than 0.5 m registered before the period's end with at "
            "least one custodian.",
        ),
        Indicator(
            key="patrols_held",
            label=_("Patrols of hazardous waters"),
            unit=pgettext_lazy("indicator unit", "patrols"),
            compute=patrols_held,
            doc="Patrols dated in the period of waters in the division.",
        ),
    ],
)
