"""Care of left-behind and vulnerable children: what the app gives the platform (see
weibao.core.contract). Pages, menu, tiles and the API come with the views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.care.indicators import (
    children_in_difficulty,
    left_behind_children,
    overdue_contacts,
    visit_coverage,
    warnings_raised,
)
from weibao.core.contract import AppContract, Indicator

CHILDREN = pgettext_lazy("indicator unit", "children")

APP = AppContract(
    policy="weibao.care.policy",
    indicators=[
        Indicator(
            key="care_left_behind",
            label=_("Left-behind children"),
            unit=CHILDREN,
            compute=left_behind_children,
            doc="Children on the left-behind register now (an active status), in the "
            "division by their place of residence.",
        ),
        Indicator(
            key="care_visit_coverage",
            label=_("Left-behind children visited at home"),
            unit=pgettext_lazy("indicator unit", "%"),
            compute=visit_coverage,
            doc="Per cent of the division's left-behind children with at least one home "
            "visit in the period.",
        ),
        Indicator(
            key="care_overdue_contacts",
            label=_("Left-behind children without their parents' weekly contact"),
            unit=CHILDREN,
            compute=overdue_contacts,
            doc="Left-behind children whose parents' last contact was more than 7 days "
            "before the period's last day (or today, for a period not over), or never.",
        ),
        Indicator(
            key="care_children_in_difficulty",
            label=_("Children in difficulty"),
            unit=CHILDREN,
            compute=children_in_difficulty,
            doc="Children recorded in a difficulty category at some time in the period "
            "(a child in two categories counted once).",
        ),
        Indicator(
            key="care_warnings",
            label=_("Care warnings raised"),
            unit=pgettext_lazy("indicator unit", "warnings"),
            compute=warnings_raised,
            doc="Warnings about a child's care (an unfit or absent carer, a child alone, a "
            "disqualified carer, an overdue contact) raised in the period.",
        ),
    ],
)
