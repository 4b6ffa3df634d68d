"""The at-risk minors database: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from weibao.accounts.models import Organisation, Role, User
from weibao.accounts.policy import NO_DATA_ROLES, is_county_coordinator
from weibao.atrisk.access import reportable_people
from weibao.atrisk.indicators import FILES_OPENED, MISCONDUCT_EVENTS
from weibao.atrisk.models import ATRISK_UNIT_KINDS, AtRiskFile
from weibao.atrisk.waiting import waiting
from weibao.core.contract import (
    AppContract,
    Group,
    Indicator,
    MenuEntry,
    PersonSection,
    SectionRow,
    Tile,
)
from weibao.core.pickers import UNIT_PICKER, USER_PICKER, unit_picker
from weibao.people.weibao_app import PERSON_PICKER

# Units a file is referred to: agencies and township governments. Schools already see their
# pupils' files and village committees their township's.
REFERRAL_KINDS = (
    ATRISK_UNIT_KINDS - Organisation.SCHOOL_KINDS - {Organisation.Kind.VILLAGE_COMMITTEE}
)


def assignable_workers(user: Any) -> QuerySet[User]:
    """Workers the user may assign: their own unit's; a coordinator, any data role."""
    users = User.objects.filter(is_active=True).exclude(role__in=[*NO_DATA_ROLES, Role.READ_ONLY])
    if is_county_coordinator(user):
        return users.select_related("organisation")
    return users.filter(organisation=user.organisation).select_related("organisation")


def _file_schools(user: Any) -> QuerySet[Organisation]:
    """The schools of the files the user sees (the list's filter)."""
    visible = AtRiskFile.objects.for_user(user)
    schools = Organisation.objects.for_user(user).schools().select_related("division")
    return schools.filter(pk__in=visible.values("school_id"))


def _file_workers(user: Any) -> QuerySet[User]:
    """The workers of the files the user sees (the list's filter)."""
    visible = AtRiskFile.objects.for_user(user)
    return User.objects.filter(pk__in=visible.values("worker_id")).select_related("organisation")


REPORTABLE_PICKER = PERSON_PICKER.variant(
    "atrisk-person", lambda user: reportable_people(user).select_related("school")
)
SHARE_UNIT_PICKER = unit_picker("atrisk-unit", ATRISK_UNIT_KINDS)
REFERRAL_UNIT_PICKER = unit_picker("unit-referral", REFERRAL_KINDS)
WORKER_PICKER = USER_PICKER.variant("atrisk-worker", assignable_workers)
FILE_SCHOOL_PICKER = UNIT_PICKER.variant("atrisk-file-school", _file_schools)
FILE_WORKER_PICKER = USER_PICKER.variant("atrisk-file-worker", _file_workers)


def open_files_count(user: Any) -> int:
    return AtRiskFile.objects.for_user(user).open().count()


def file_rows(user: Any, person: Any) -> list[SectionRow]:
    files = AtRiskFile.objects.for_user(user).filter(person=person).order_by("-opened_at")
    return [
        SectionRow(
            gettext("File %(n)s") % {"n": f.pk},
            " · ".join(
                (
                    str(f.get_grade_display()),
                    pgettext("file state", "open")
                    if f.is_open
                    else pgettext("file state", "closed"),
                )
            ),
            f.opened_at,
            f.get_absolute_url(),
        )
        for f in files[:20]
    ]


APP = AppContract(
    person_sections=[
        PersonSection(_("At-risk files"), file_rows, 10, "atrisk.list_files"),
    ],
    tiles=[
        Tile(_("At-risk files open"), open_files_count, "atrisk:list", 30, "atrisk.list_files"),
    ],
    urls="weibao.atrisk.urls",
    url_prefix="at-risk/",
    menu=[MenuEntry(_("At-risk minors"), "atrisk:list", Group.MINORS, 20, "atrisk.list_files")],
    waiting=[waiting],
    policy="weibao.atrisk.policy",
    tasks=["weibao.atrisk.tasks"],
    demo="weibao.atrisk.demo.seed",
    demo_order=20,
    api="weibao.atrisk.api.register",
    indicators=[
        Indicator(
            key="atrisk_files_opened",
            label=_("At-risk files opened"),
            unit=pgettext_lazy("indicator unit", "files"),
            measure=FILES_OPENED,
            doc="At-risk files opened in the period (by the opening date) for minors living in "
            "the division; by the file's grade as it stands now.",
        ),
        Indicator(
            key="misconduct_events",
            label=_("Misconduct events of minors"),
            unit=pgettext_lazy("indicator unit", "events"),
            measure=MISCONDUCT_EVENTS,
            doc="Misconduct events (sealed ones included) that took place in the period, "
            "involving at least one minor living in the division; a group event counts once.",
        ),
    ],
    pickers=[
        REPORTABLE_PICKER,
        SHARE_UNIT_PICKER,
        REFERRAL_UNIT_PICKER,
        WORKER_PICKER,
        FILE_SCHOOL_PICKER,
        FILE_WORKER_PICKER,
    ],
)
