"""Legal vice-principals: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.accounts.models import Organisation, User
from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Tile
from weibao.core.pickers import USER_PICKER, unit_picker
from weibao.legalvp.indicators import APPOINTMENTS_ISSUED, LAW_CLASSES
from weibao.legalvp.models import COVERED_SCHOOL_KINDS, Appointment
from weibao.legalvp.waiting import waiting
from weibao.schools.models import School
from weibao.schools.weibao_app import SCHOOL_PICKER, schools_in_scope


def _covered_schools(user: Any) -> QuerySet[School]:
    """Open schools of the kinds a legal vice-principal serves."""
    return schools_in_scope(user).open().filter(kind__in=COVERED_SCHOOL_KINDS)


def _appointees(user: Any) -> QuerySet[User]:
    """Accounts of the sending bodies' staff, for who manages appointments."""
    if not user.has_perm("legalvp.manage_appointments"):
        return User.objects.none()
    return User.objects.filter(
        is_active=True, organisation__kind__in=Organisation.SENDING_BODY_KINDS
    ).select_related("organisation")


SENDING_UNIT_PICKER = unit_picker("legalvp-sending-unit", Organisation.SENDING_BODY_KINDS)
APPOINTING_UNIT_PICKER = unit_picker(
    "legalvp-appointing-unit", {Organisation.Kind.EDUCATION, *Organisation.SCHOOL_KINDS}
)
COVERED_SCHOOL_PICKER = SCHOOL_PICKER.variant("legalvp-school", _covered_schools)
APPOINTEE_PICKER = USER_PICKER.variant("legalvp-appointee", _appointees)


def appointments_in_office(user: Any) -> int:
    return Appointment.objects.for_user(user).active().count()


APP = AppContract(
    tiles=[
        Tile(
            _("Legal vice-principals in office"),
            appointments_in_office,
            "legalvp:list",
            80,
            "legalvp.view_legalvp",
        ),
    ],
    urls="weibao.legalvp.urls",
    url_prefix="legal-vp/",
    menu=[
        MenuEntry(
            _("Legal vice-principals"), "legalvp:list", Group.SCHOOLS, 50, "legalvp.view_legalvp"
        )
    ],
    waiting=[waiting],
    policy="weibao.legalvp.policy",
    tasks=["weibao.legalvp.tasks"],
    demo="weibao.legalvp.demo.seed",
    demo_order=40,
    api="weibao.legalvp.api.register",
    indicators=[
        Indicator(
            key="appointments_issued",
            label=_("Legal vice-principal letters of appointment issued"),
            unit=pgettext_lazy("indicator unit", "appointments"),
            measure=APPOINTMENTS_ISSUED,
            doc="Appointments (first terms and renewals) whose letter was issued in the period, "
            "serving a school of the division.",
        ),
        Indicator(
            key="law_classes",
            label=_("Law-education classes by legal vice-principals"),
            unit=pgettext_lazy("indicator unit", "classes"),
            measure=LAW_CLASSES,
            doc="Law-education duty records (FD1) dated in the period at schools of the division.",
        ),
    ],
    pickers=[SENDING_UNIT_PICKER, APPOINTING_UNIT_PICKER, COVERED_SCHOOL_PICKER, APPOINTEE_PICKER],
)
