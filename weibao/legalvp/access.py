"""One access helper per legal vice-principal resource (see weibao.kit.access).

Pages, the API and services fetch an appointment or a duty record through these, so an object
the user may not see is a 404 everywhere, and the scope predicate trusts the fetched mark.
"""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.legalvp.models import Appointment, DutyRecord


def access_appointment(user: User, pk: Any, *, for_update: bool = False) -> Appointment:
    appointments = Appointment.objects.for_user(user).select_related(
        "person", "sending_unit", "appointing_unit", "renewed_from"
    )
    return fetch(appointments, pk, user=user, for_update=for_update)


def access_duty(user: User, pk: Any, *, for_update: bool = False) -> DutyRecord:
    duties = DutyRecord.objects.for_user(user).select_related(
        "appointment__person", "school__organisation"
    )
    return fetch(duties, pk, user=user, for_update=for_update)
