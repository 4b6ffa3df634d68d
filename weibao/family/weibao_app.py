"""The family protection network: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Division
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Tile
from weibao.core.pickers import DIVISION_PICKER
from weibao.family.indicators import (
    ACTIVITIES,
    CHILDREN_REACHED,
    GUIDANCE_COMPLETED,
    PARENTS_REACHED,
    SITES,
    VILLAGES_WITH_SITE,
    VOLUNTEER_HOURS,
)
from weibao.family.models import Site, Team, Volunteer, VolunteerQuerySet
from weibao.family.services import villages_without_site
from weibao.family.waiting import waiting
from weibao.kit.pickers import Picker
from weibao.people.models import Person
from weibao.people.services import person_search
from weibao.schools.models import School
from weibao.schools.weibao_app import SCHOOL_PICKER

PER_CENT = pgettext_lazy("indicator unit", "%")


def volunteers_in_scope(user: Any) -> VolunteerQuerySet:
    return Volunteer.objects.for_user(user).active().select_related("person", "team")


def search_volunteers(found: QuerySet[Volunteer], text: str, user: Any) -> QuerySet[Volunteer]:
    """The volunteer's name, pinyin or initials, or a whole ID number (as people's search)."""
    people = person_search(Person.objects.all(), text, actor=user)
    return found.filter(person__in=people.values("pk")).order_by("person__name_pinyin", "pk")


def volunteer_detail(volunteer: Volunteer) -> str:
    return f"{volunteer.team} · {volunteer.get_clearance_display()}"


VOLUNTEER_PICKER = Picker(
    name="family_volunteer",
    queryset=volunteers_in_scope,
    search=search_volunteers,
    label=lambda volunteer: volunteer.person.masked_name,
    detail=volunteer_detail,
)
LECTURER_PICKER = VOLUNTEER_PICKER.variant(
    "family_lecturer",
    lambda user: volunteers_in_scope(user).filter(team__kind=Team.Kind.LECTURERS),
)
SITE_PICKER = Picker(
    name="family_site",
    queryset=lambda user: (
        Site.objects.for_user(user)
        .exclude(status=Site.Status.CLOSED)
        .select_related("village__parent")
    ),
    search=lambda found, text, user: found.filter(
        Q(name__icontains=text) | Q(village__name__icontains=text)
    ).order_by("name", "pk"),
    label=lambda site: site.name,
    detail=lambda site: f"{site.get_kind_display()} · {site.village}",
)


def _activity_schools(user: Any) -> QuerySet[School]:
    """Any open school of the county, for whoever records activities (a school is public)."""
    if not user.has_perm("family.record_activity"):
        return School.objects.none()
    return School.objects.open().select_related("organisation__division")


ACTIVITY_SCHOOL_PICKER = SCHOOL_PICKER.variant("family_school", _activity_schools)
VILLAGE_PICKER = DIVISION_PICKER.variant(
    "family_village",
    lambda user: DIVISION_PICKER.queryset(user).filter(level=Division.Level.VILLAGE),
)
TOWNSHIP_PICKER = DIVISION_PICKER.variant(
    "family_township",
    lambda user: DIVISION_PICKER.queryset(user).filter(level=Division.Level.TOWNSHIP),
)


def villages_without_site_count(user: Any) -> int:
    return villages_without_site().count()


APP = AppContract(
    tiles=[
        Tile(
            _("Villages without a family-education site"),
            villages_without_site_count,
            "family:coverage",
            88,
            "family.view_coverage",
        ),
    ],
    urls="weibao.family.urls",
    url_prefix="family/",
    menu=[
        MenuEntry(_("Sites"), "family:site_list", Group.FAMILY, 10, "family.view_sites"),
        MenuEntry(
            _("Volunteers and lecturers"),
            "family:volunteer_list",
            Group.FAMILY,
            20,
            "family.view_volunteers",
        ),
        MenuEntry(
            _("Family activities"),
            "family:activity_list",
            Group.FAMILY,
            30,
            "family.view_activities",
        ),
        MenuEntry(
            _("Family-education guidance"),
            "family:guidance_list",
            Group.FAMILY,
            40,
            "family.view_guidance",
        ),
    ],
    waiting=[waiting],
    policy="weibao.family.policy",
    tasks=["weibao.family.tasks"],
    demo="weibao.family.demo.seed",
    demo_order=95,
    api="weibao.family.api.register",
    pickers=[
        VOLUNTEER_PICKER,
        LECTURER_PICKER,
        SITE_PICKER,
        ACTIVITY_SCHOOL_PICKER,
        VILLAGE_PICKER,
        TOWNSHIP_PICKER,
    ],
    indicators=[
        Indicator(
            key="family_sites",
            label=_("Family-education sites open"),
            unit=pgettext_lazy("indicator unit", "sites"),
            measure=SITES,
            doc="Open sites registered before the period's end, in the division.",
        ),
        Indicator(
            key="family_villages_with_site",
            label=_("Villages with a family-education site"),
            unit=PER_CENT,
            share=VILLAGES_WITH_SITE,
            doc="Per cent of the division's villages and communities with an open site "
            "registered before the period's end.",
        ),
        Indicator(
            key="family_activities",
            label=_("Family-education activities held"),
            unit=pgettext_lazy("indicator unit", "activities"),
            measure=ACTIVITIES,
            doc="Activities held in the period in the division's villages; by kind of activity.",
        ),
        Indicator(
            key="family_children_reached",
            label=_("Children reached by family activities"),
            unit=pgettext_lazy("indicator unit", "children"),
            measure=CHILDREN_REACHED,
            doc="Children counted at activities held in the period (a child at two is "
            "counted twice).",
        ),
        Indicator(
            key="family_parents_reached",
            label=_("Parents reached by family activities"),
            unit=pgettext_lazy("indicator unit", "parents"),
            measure=PARENTS_REACHED,
            doc="Parents counted at activities held in the period.",
        ),
        Indicator(
            key="family_volunteer_hours",
            label=_("Volunteer and lecturer hours"),
            unit=pgettext_lazy("indicator unit", "hours"),
            measure=VOLUNTEER_HOURS,
            doc="For each lecturer or volunteer at an activity held in the period, the "
            "activity's hours.",
        ),
        Indicator(
            key="family_guidance_completed",
            label=_("Family-education guidance completed"),
            unit=pgettext_lazy("indicator unit", "orders"),
            measure=GUIDANCE_COMPLETED,
            doc="Guidance on orders to guardians finished and reported to the issuing unit in "
            "the period, by the child's place of residence.",
        ),
    ],
)
