"""Staff criminal-record checks: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from weibao.core.contract import (
    AppContract,
    Group,
    Indicator,
    MenuEntry,
    PersonSection,
    Protected,
    SectionRow,
    Tile,
)
from weibao.kit.pickers import Picker
from weibao.people.models import Person
from weibao.people.services import person_search
from weibao.staffchecks.indicators import BARRED_FOUND, PEOPLE_CHECKED
from weibao.staffchecks.models import StaffMember
from weibao.staffchecks.waiting import waiting


def new_hires(user: Any) -> QuerySet[StaffMember]:
    """Staff on the rosters the user sees who were never cleared: a new-hire check's people."""
    staff = StaffMember.objects.for_user(user).active().filter(first_cleared_on__isnull=True)
    return staff.select_related("person")


def _of_unit(staff: QuerySet[StaffMember], params: Mapping[str, str]) -> QuerySet[StaffMember]:
    unit = params.get("unit", "")
    return staff.filter(unit_id=int(unit)) if unit.isdigit() else staff


def _search_staff(staff: QuerySet[StaffMember], text: str, user: Any) -> QuerySet[StaffMember]:
    people = person_search(Person.objects.all(), text, actor=user)
    return staff.filter(person__in=people.values("pk")).order_by("person__name_pinyin")


NEW_HIRE_PICKER = Picker(
    name="staffchecks-new-hire",
    queryset=new_hires,
    search=_search_staff,
    label=lambda s: s.person.masked_name,
    detail=lambda s: f"{s.get_role_display()} · {s.start_date}",
    narrow=_of_unit,
    placeholder=_("Pinyin, initials, name or ID number"),
)


def staff_count(user: Any) -> int:
    return StaffMember.objects.for_user(user).active().count()


def staff_rows(user: Any, person: Any) -> list[SectionRow]:
    rows = StaffMember.objects.for_user(user).filter(person=person).select_related("unit")
    return [
        SectionRow(
            s.unit.name,
            " · ".join(
                part
                for part in (
                    str(s.get_role_display()),
                    str(s.get_status_display()),
                    gettext("last checked %(day)s") % {"day": s.last_checked_on}
                    if s.last_checked_on
                    else gettext("not checked yet"),
                )
            ),
            s.start_date,
            s.get_absolute_url(),
        )
        for s in rows.order_by("-start_date")[:20]
    ]


APP = AppContract(
    person_sections=[
        PersonSection(_("Staff records"), staff_rows, 70, "staffchecks.view_staffchecks"),
    ],
    tiles=[
        Tile(
            _("Staff on the rosters"),
            staff_count,
            "staffchecks:home",
            60,
            "staffchecks.view_staffchecks",
        ),
    ],
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
            measure=PEOPLE_CHECKED,
            doc="Check items of requests completed in the period, for units in the division.",
        ),
        Indicator(
            key="barred_found",
            label=_("People found barred from work with children"),
            unit=pgettext_lazy("indicator unit", "people"),
            measure=BARRED_FOUND,
            doc="Of those, the items whose result is barred (exact match, confirmed possible "
            "match or national query platform hit).",
        ),
    ],
    pickers=[NEW_HIRE_PICKER],
    protected=[
        Protected(
            model,
            encrypted=["name_encrypted", "id_number_encrypted"],
            indexes={"id_hash": "id_number_encrypted"},
        )
        for model in ("staffchecks.OffenderRecord", "staffchecks.CheckItem")
    ]
    + [
        Protected(
            "staffchecks.MatchDecision",
            indexes_from={"id_hash": ["item.id_number_encrypted", "record.id_number_encrypted"]},
        )
    ],
)
