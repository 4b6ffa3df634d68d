"""Care of left-behind and vulnerable children: what the app gives the platform (see
weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division, User
from weibao.care.indicators import (
    CHILDREN_IN_DIFFICULTY,
    LEFT_BEHIND,
    OVERDUE_CONTACTS,
    VISIT_COVERAGE,
    WARNINGS_RAISED,
)
from weibao.care.models import POST_HOLDER_KINDS, CareWarning, children_for
from weibao.care.waiting import waiting
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Tile
from weibao.core.pickers import DIVISION_PICKER, USER_PICKER
from weibao.family.models import Volunteer
from weibao.family.weibao_app import VOLUNTEER_PICKER
from weibao.schools.models import School
from weibao.schools.weibao_app import SCHOOL_PICKER


def _appointees(user: Any) -> QuerySet[User]:
    """Active accounts of the units whose staff hold the posts, for who appoints them."""
    if not user.has_perm("care.manage_appointments"):
        return User.objects.none()
    return User.objects.filter(
        is_active=True, organisation__kind__in=POST_HOLDER_KINDS
    ).select_related("organisation")


def _post_divisions(user: Any) -> QuerySet[Division]:
    if not user.has_perm("care.manage_appointments"):
        return Division.objects.none()
    return DIVISION_PICKER.queryset(user)


def _visit_volunteers(user: Any) -> QuerySet[Volunteer]:
    """Active volunteers with a clear check, for who records home visits (masked names)."""
    if not user.has_perm("care.view_children"):
        return Volunteer.objects.none()
    return Volunteer.objects.active().cleared().select_related("person", "team")


APPOINTEE_PICKER = USER_PICKER.variant("care_appointee", _appointees)
POST_DIVISION_PICKER = DIVISION_PICKER.variant("care_post_division", _post_divisions)
TOWNSHIP_PICKER = DIVISION_PICKER.variant(
    "care_township",
    lambda user: DIVISION_PICKER.queryset(user).filter(level=Division.Level.TOWNSHIP),
)
VISIT_VOLUNTEER_PICKER = VOLUNTEER_PICKER.variant("care_volunteer", _visit_volunteers)
VILLAGE_PICKER = DIVISION_PICKER.variant(
    "care_village",
    lambda user: DIVISION_PICKER.queryset(user).filter(level=Division.Level.VILLAGE),
)


def _schools(user: Any) -> QuerySet[School]:
    """Any open school, to filter the children by (a school is public)."""
    if not user.has_perm("care.view_children"):
        return School.objects.none()
    return School.objects.open().select_related("organisation__division")


SCHOOL_FILTER_PICKER = SCHOOL_PICKER.variant("care_school", _schools)


def open_warnings_count(user: Any) -> int:
    return CareWarning.objects.for_user(user).open().count()


def children_count(user: Any) -> int:
    return children_for(user).count()


CHILDREN = pgettext_lazy("indicator unit", "children")

APP = AppContract(
    tiles=[
        Tile(
            _("Children looked after"), children_count, "care:child_list", 86, "care.view_children"
        ),
        Tile(
            _("Open care warnings"),
            open_warnings_count,
            "care:warning_list",
            87,
            "care.view_children",
        ),
    ],
    urls="weibao.care.urls",
    url_prefix="care/",
    menu=[
        MenuEntry(
            _("Left-behind and vulnerable children"),
            "care:child_list",
            Group.FAMILY,
            50,
            "care.view_children",
        ),
        MenuEntry(
            _("Children's supervisors and directors"),
            "care:appointment_list",
            Group.FAMILY,
            60,
            "care.view_appointments",
        ),
    ],
    waiting=[waiting],
    policy="weibao.care.policy",
    demo="weibao.care.demo.seed",
    demo_order=97,
    pickers=[
        APPOINTEE_PICKER,
        POST_DIVISION_PICKER,
        TOWNSHIP_PICKER,
        VILLAGE_PICKER,
        SCHOOL_FILTER_PICKER,
        VISIT_VOLUNTEER_PICKER,
    ],
    indicators=[
        Indicator(
            key="care_left_behind",
            label=_("Left-behind children"),
            unit=CHILDREN,
            measure=LEFT_BEHIND,
            doc="Children on the left-behind register now (an active status), in the "
            "division by their place of residence.",
        ),
        Indicator(
            key="care_visit_coverage",
            label=_("Left-behind children visited at home"),
            unit=pgettext_lazy("indicator unit", "%"),
            share=VISIT_COVERAGE,
            doc="Per cent of the division's left-behind children with at least one home "
            "visit in the period.",
        ),
        Indicator(
            key="care_overdue_contacts",
            label=_("Left-behind children without their parents' weekly contact"),
            unit=CHILDREN,
            measure=OVERDUE_CONTACTS,
            doc="Left-behind children whose parents' last contact was more than 7 days "
            "before the period's last day (or today, for a period not over), or never.",
        ),
        Indicator(
            key="care_children_in_difficulty",
            label=_("Children in difficulty"),
            unit=CHILDREN,
            measure=CHILDREN_IN_DIFFICULTY,
            doc="Children recorded in a difficulty category at some time in the period "
            "(a child in two categories counted once).",
        ),
        Indicator(
            key="care_warnings",
            label=_("Care warnings raised"),
            unit=pgettext_lazy("indicator unit", "warnings"),
            measure=WARNINGS_RAISED,
            doc="Warnings about a child's care (an unfit or absent carer, a child alone, a "
            "disqualified carer, an overdue contact) raised in the period; by reason.",
        ),
    ],
)
