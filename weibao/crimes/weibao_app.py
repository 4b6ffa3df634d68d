"""The minors' criminal-case register: what the app gives the platform (weibao.core.contract)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.crimes import indicators as i

PER_CENT = pgettext_lazy("indicator unit", "%")
MINORS = pgettext_lazy("indicator unit", "minors")
CASES = pgettext_lazy("indicator unit", "cases")

INDICATORS = [
    Indicator(
        key="minors_arrested",
        label=_("Minor suspects arrested"),
        unit=MINORS,
        measure=i.MINORS_ARRESTED,
        doc="Suspects under 18 at the offence with an arrest approved (批准逮捕), counted by the "
        "date of the arrest decision, placed by the case's township or village. By age band.",
    ),
    Indicator(
        key="minors_prosecuted",
        label=_("Minor suspects prosecuted"),
        unit=MINORS,
        measure=i.MINORS_PROSECUTED,
        doc="Suspects under 18 at the offence prosecuted (提起公诉), counted by the date of the "
        "prosecution decision, placed by the case's township or village. By age band.",
    ),
    Indicator(
        key="minor_suspects",
        label=_("Minor suspects"),
        unit=MINORS,
        measure=i.MINOR_SUSPECTS,
        doc="Suspects under 18 at the offence, whatever was decided, counted by the offence "
        "date. By age band (under 14, 14 and 15, 16 and 17).",
    ),
    Indicator(
        key="suspects_14_16",
        label=_("Minor suspects aged 14 to 16"),
        unit=MINORS,
        measure=i.SUSPECTS_14_16,
        doc="Suspects aged 14 or 15 (周岁) at the offence, counted by the offence date.",
    ),
    Indicator(
        key="suspects_under_14",
        label=_("Minor suspects under 14"),
        unit=MINORS,
        measure=i.SUSPECTS_UNDER_14,
        doc="Suspects under 14 (周岁) at the offence, counted by the offence date.",
    ),
    Indicator(
        key="share_14_16",
        label=_("Share of minor suspects aged 14 to 16"),
        unit=PER_CENT,
        share=i.SHARE_14_16,
        doc="Per cent of the minor suspects (by offence date) aged 14 or 15 at the offence.",
    ),
    Indicator(
        key="share_under_14",
        label=_("Share of minor suspects under 14"),
        unit=PER_CENT,
        share=i.SHARE_UNDER_14,
        doc="Per cent of the minor suspects (by offence date) under 14 at the offence.",
    ),
    Indicator(
        key="prosecuted_cases",
        label=_("Cases of minors prosecuted"),
        unit=CASES,
        measure=i.PROSECUTED_CASES,
        doc="Cases with at least one suspect under 18 prosecuted (提起公诉), counted once, on "
        "the date of the first such prosecution decision. By offence group.",
    ),
    Indicator(
        key="prosecuted_gang_cases",
        label=_("Gang cases of minors prosecuted"),
        unit=CASES,
        measure=i.PROSECUTED_GANG_CASES,
        doc="The prosecuted cases (as prosecuted_cases) that are gang crimes (团伙犯罪, three or "
        "more participants). By offence group.",
    ),
    Indicator(
        key="gang_share",
        label=_("Gang share of prosecuted cases"),
        unit=PER_CENT,
        share=i.GANG_SHARE,
        doc="prosecuted_gang_cases as a per cent of prosecuted_cases.",
    ),
    Indicator(
        key="minor_victims",
        label=_("Minor victims of crime"),
        unit=MINORS,
        measure=i.MINOR_VICTIMS,
        doc="Victims under 18 at the offence, counted by the offence date. By offence group.",
    ),
    Indicator(
        key="sexual_assault_victims",
        label=_("Minor victims of sexual offences"),
        unit=MINORS,
        measure=i.SEXUAL_ASSAULT_VICTIMS,
        doc="Victims under 18 of a sexual offence (rape, forcible indecency, indecency with a "
        "child: Criminal Law Art. 236, 237), counted by the offence date.",
    ),
]

APP = AppContract(
    urls="weibao.crimes.urls",
    url_prefix="crimes/",
    menu=[
        MenuEntry(
            _("Criminal cases involving minors"),
            "crimes:case_list",
            Group.STATISTICS,
            20,
            "crimes.view_cases",
        )
    ],
    policy="weibao.crimes.policy",
    demo="weibao.crimes.demo.seed",
    demo_order=120,
    api="weibao.crimes.api.register",
    indicators=INDICATORS,
)
