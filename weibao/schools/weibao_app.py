"""Schools and campus liaisons: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Tile
from weibao.kit.pickers import Picker
from weibao.schools.indicators import SCHOOLS, SCHOOLS_WITH_LIAISON
from weibao.schools.models import School, SchoolQuerySet
from weibao.schools.waiting import waiting


def schools_in_scope(user: Any) -> SchoolQuerySet:
    return School.objects.for_user(user).select_related("organisation__division")


def search_schools(found: QuerySet[School], text: str, user: Any) -> QuerySet[School]:
    """The school's name, or its unit's credit code."""
    return found.filter(
        Q(organisation__name__icontains=text) | Q(organisation__credit_code__iexact=text.upper())
    ).order_by("organisation__name")


def school_label(school: School) -> str:
    return school.organisation.name


def school_detail(school: School) -> str:
    return " · ".join(
        p for p in (school.get_kind_display(), school.organisation.division.name) if p
    )


SCHOOL_PICKER = Picker(
    name="school",
    queryset=schools_in_scope,
    search=search_schools,
    label=school_label,
    detail=school_detail,
)


def schools_count(user: Any) -> int:
    return School.objects.for_user(user).open().count()


APP = AppContract(
    tiles=[
        Tile(_("Schools open"), schools_count, "schools:list", 20, "schools.list_schools"),
    ],
    urls="weibao.schools.urls",
    url_prefix="schools/",
    menu=[
        MenuEntry(_("Schools"), "schools:list", Group.SCHOOLS, 10, "schools.list_schools"),
        MenuEntry(
            _("Liaison coverage"), "schools:coverage", Group.SCHOOLS, 20, "schools.view_coverage"
        ),
    ],
    waiting=[waiting],
    policy="weibao.schools.policy",
    demo="weibao.schools.demo.seed",
    demo_order=10,
    api="weibao.schools.api.register",
    pickers=[SCHOOL_PICKER],
    indicators=[
        Indicator(
            key="schools",
            label=_("Schools"),
            unit=pgettext_lazy("indicator unit", "schools"),
            measure=SCHOOLS,
            doc="Schools of the division not closed by the period's last day.",
        ),
        Indicator(
            key="schools_with_liaison",
            label=_("Schools with a campus liaison"),
            unit=pgettext_lazy("indicator unit", "schools"),
            measure=SCHOOLS_WITH_LIAISON,
            doc="Open schools with a main liaison in post on the period's last day.",
        ),
    ],
)
