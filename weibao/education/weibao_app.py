"""Law education: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Tile
from weibao.core.pickers import UNIT_PICKER
from weibao.education.indicators import SCHOOLS_REACHED, SESSIONS_HELD
from weibao.education.models import Session
from weibao.education.waiting import waiting
from weibao.schools.models import School
from weibao.schools.weibao_app import SCHOOL_PICKER


def _recordable(user: Any) -> QuerySet[School]:
    from weibao.education.forms import recordable_schools  # the forms import this module

    return recordable_schools(user).select_related("organisation__division")


def _filterable(user: Any) -> QuerySet[School]:
    from weibao.education.forms import filter_schools

    return filter_schools(user).select_related("organisation__division")


def _speaker_units(user: Any) -> QuerySet[Organisation]:
    """Units that have spoken at a session, for who may read the coverage."""
    if not user.has_perm("education.view_coverage"):
        return Organisation.objects.none()
    units = Organisation.objects.for_user(user).select_related("division")
    return units.filter(pk__in=Session.objects.values("speaker_unit"))


RECORDABLE_SCHOOL_PICKER = SCHOOL_PICKER.variant("education-school", _recordable)
FILTER_SCHOOL_PICKER = SCHOOL_PICKER.variant("education-filter-school", _filterable)
SPEAKER_UNIT_PICKER = UNIT_PICKER.variant("education-speaker-unit", _speaker_units)


def sessions_this_year(user: Any) -> int:
    year = timezone.localdate().year
    return Session.objects.for_user(user).held().filter(date__year=year).count()


APP = AppContract(
    tiles=[
        Tile(
            _("Law-education sessions held this year"),
            sessions_this_year,
            "education:session_list",
            70,
            "education.view_sessions",
        ),
    ],
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
            measure=SESSIONS_HELD,
            doc="Law-education sessions recorded as held, dated in the period, at a school or "
            "in a village or community of the division.",
        ),
        Indicator(
            key="schools_reached",
            label=_("Schools that held law-education sessions"),
            unit=pgettext_lazy("indicator unit", "schools"),
            measure=SCHOOLS_REACHED,
            doc="Schools of the division with at least one law-education session held in the "
            "period (the coverage of 法治宣教全覆盖).",
        ),
    ],
    pickers=[RECORDABLE_SCHOOL_PICKER, FILTER_SCHOOL_PICKER, SPEAKER_UNIT_PICKER],
)
