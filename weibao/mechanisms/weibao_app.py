"""The mechanisms: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.accounts.policy import works_with_data
from weibao.atrisk.models import AtRiskFile
from weibao.casework.models import Case
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry
from weibao.core.pickers import UNIT_PICKER, USER_PICKER, unit_picker
from weibao.kit.pickers import Picker
from weibao.mechanisms.indicators import (
    ACTIVITIES,
    DECISIONS,
    MEETINGS,
    NOTICES,
    TASKS_DONE_ON_TIME,
    TASKS_DUE,
    TASKS_ON_TIME,
)
from weibao.mechanisms.models import Attendance, Member
from weibao.mechanisms.services.group import PARTNER_KINDS
from weibao.mechanisms.waiting import waiting

PER_CENT = pgettext_lazy("indicator unit", "%")

# Pickers (search-as-you-type, scoped by the user) --------------------------------------------

# The partner of a co-construction activity: a school or a village committee.
PARTNER_PICKER = unit_picker("mechanisms-partner", PARTNER_KINDS)


def _contacts(user: Any) -> QuerySet[User]:
    """The people who may be named a member unit's contact: active staff of any unit, for those
    who keep the group."""
    if not (works_with_data(user) and user.has_perm("mechanisms.manage_group")):
        return User.objects.none()
    return User.objects.filter(is_active=True).select_related("organisation")


def _contacts_of_unit(users: QuerySet[User], params: Any) -> QuerySet[User]:
    unit = str(params.get("unit", ""))
    return users.filter(organisation_id=int(unit)) if unit.isdigit() else users


# A member unit's contact person (narrowed to the unit's staff with ?unit=<pk>).
CONTACT_PICKER = USER_PICKER.variant("mechanisms-contact", _contacts, narrow=_contacts_of_unit)


def _numbers(text: str) -> list[int]:
    """The record numbers in a typed text: "强报20260901-00012" or "12" both give 12."""
    found = re.findall(r"\d+", text)
    return [int(found[-1].lstrip("0") or "0")] if found and len(found[-1]) <= 9 else []


def _search_cases(cases: QuerySet[Case], text: str, user: Any) -> QuerySet[Case]:
    return cases.filter(pk__in=_numbers(text)).order_by("-pk")


def _search_files(files: QuerySet[AtRiskFile], text: str, user: Any) -> QuerySet[AtRiskFile]:
    return files.filter(pk__in=_numbers(text)).order_by("-pk")


def _attendees(user: Any) -> QuerySet[User]:
    """The people of the units asked to meetings, for those who keep the meetings."""
    if not user.has_perm("mechanisms.manage_meetings"):
        return User.objects.none()
    units = Attendance.objects.values("unit_id")
    return User.objects.filter(is_active=True, organisation_id__in=units).select_related(
        "organisation"
    )


def _one_unit(users: QuerySet[User], params: Mapping[str, str]) -> QuerySet[User]:
    unit = params.get("unit", "")
    return users.filter(organisation_id=int(unit)) if unit.isdigit() else users.none()


# Cases and at-risk files a consultation discussed: only those the user may see, found by
# their number (the reference quoted on the phone); never by a child's name.
MEETING_CASE_PICKER = Picker(
    name="mechanisms-case",
    queryset=lambda user: Case.objects.for_user(user),
    search=_search_cases,
    label=lambda case: case.reference,
    detail=lambda case: case.get_status_display(),
)


MEETING_FILE_PICKER = Picker(
    name="mechanisms-file",
    queryset=lambda user: AtRiskFile.objects.for_user(user),
    search=_search_files,
    label=str,
    detail=lambda file: file.get_grade_display(),
)


MEETING_ATTENDEE_PICKER = USER_PICKER.variant("mechanisms-attendee", _attendees, narrow=_one_unit)


def member_units(user: Any) -> QuerySet[Organisation]:
    """The leading group's current member units (those a task can be given to)."""
    units = UNIT_PICKER.queryset(user)
    return units.filter(pk__in=Member.objects.current().values("unit"))


# The member units, searched as you type (to be registered in weibao_app.py's pickers).
MEMBER_UNIT_PICKER = UNIT_PICKER.variant("mechanisms_member_unit", member_units)


APP = AppContract(
    urls="weibao.mechanisms.urls",
    url_prefix="mechanisms/",
    menu=[
        MenuEntry(
            _("Mechanisms"), "mechanisms:home", Group.MECHANISMS, 5, "mechanisms.view_meetings"
        ),
        MenuEntry(
            _("Leading group"), "mechanisms:group", Group.MECHANISMS, 10, "mechanisms.view_group"
        ),
        MenuEntry(
            _("Implementation plans"),
            "mechanisms:plan_list",
            Group.MECHANISMS,
            15,
            "mechanisms.view_group",
        ),
        MenuEntry(
            _("Meetings"),
            "mechanisms:meeting_list",
            Group.MECHANISMS,
            20,
            "mechanisms.view_meetings",
        ),
        MenuEntry(
            _("Tasks"), "mechanisms:task_list", Group.MECHANISMS, 30, "mechanisms.view_tasks"
        ),
        MenuEntry(
            _("Supervision board"),
            "mechanisms:task_board",
            Group.MECHANISMS,
            31,
            "mechanisms.view_board",
        ),
        MenuEntry(
            _("Co-construction activities"),
            "mechanisms:activity_list",
            Group.MECHANISMS,
            40,
            "mechanisms.view_activities",
        ),
        MenuEntry(
            _("Yearly assessment"),
            "mechanisms:scheme_list",
            Group.MECHANISMS,
            50,
            "mechanisms.view_assessment",
        ),
    ],
    waiting=[waiting],
    pickers=[
        PARTNER_PICKER,
        CONTACT_PICKER,
        MEMBER_UNIT_PICKER,
        MEETING_CASE_PICKER,
        MEETING_FILE_PICKER,
        MEETING_ATTENDEE_PICKER,
    ],
    policy="weibao.mechanisms.policy",
    tasks=["weibao.mechanisms.tasks"],
    api="weibao.mechanisms.api.register",
    demo="weibao.mechanisms.demo.seed",
    demo_order=150,
    indicators=[
        Indicator(
            key="meetings",
            label=_("Leading group meetings held"),
            unit=pgettext_lazy("indicator unit", "meetings"),
            measure=MEETINGS,
            doc="Joint meetings, special meetings and case consultations held in the period, "
            "placed by the convener's division; by kind of meeting.",
        ),
        Indicator(
            key="decisions",
            label=_("Meeting decisions"),
            unit=pgettext_lazy("indicator unit", "decisions"),
            measure=DECISIONS,
            doc="Decisions of the meetings held in the period.",
        ),
        Indicator(
            key="tasks_due",
            label=_("Leading group tasks due"),
            unit=pgettext_lazy("indicator unit", "tasks"),
            measure=TASKS_DUE,
            doc="Tasks whose deadline falls in the period, placed by the owner unit's "
            "division; by kind of owner unit.",
        ),
        Indicator(
            key="tasks_done_on_time",
            label=_("Leading group tasks done on time"),
            unit=pgettext_lazy("indicator unit", "tasks"),
            measure=TASKS_DONE_ON_TIME,
            doc="Tasks due in the period whose result, submitted by the deadline, the lead "
            "agency accepted; by kind of owner unit.",
        ),
        Indicator(
            key="tasks_on_time",
            label=_("Leading group tasks on time"),
            unit=PER_CENT,
            share=TASKS_ON_TIME,
            doc="Per cent of the tasks due in the period done on time.",
        ),
        Indicator(
            key="supervision_notices",
            label=_("Supervision notices issued"),
            unit=pgettext_lazy("indicator unit", "notices"),
            measure=NOTICES,
            doc="Supervision notices about overdue or returned tasks issued in the period, "
            "placed by the owner unit's division.",
        ),
        Indicator(
            key="cobuild_activities",
            label=_("Party-building co-construction activities"),
            unit=pgettext_lazy("indicator unit", "activities"),
            measure=ACTIVITIES,
            doc="Co-construction activities with schools' and villages' Party branches held in "
            "the period, placed by the partner unit's division.",
        ),
    ],
)
