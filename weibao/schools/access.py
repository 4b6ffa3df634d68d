"""One access helper per schools resource: a school, a liaison appointment, fetched once.

Pages, the API and services call these (see weibao.kit.access): Http404 for a record the user
may not see, exactly as for one that does not exist; the object comes back marked as fetched for
the user.
"""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.schools.models import LiaisonAppointment, School


def access_school(user: User, pk: Any, *, for_update: bool = False) -> School:
    schools = School.objects.for_user(user).select_related("organisation__division")
    return fetch(schools, pk, user=user, for_update=for_update)


def access_appointment(user: User, pk: Any, *, for_update: bool = False) -> LiaisonAppointment:
    appointments = LiaisonAppointment.objects.for_user(user).select_related(
        "school__organisation", "user"
    )
    return fetch(appointments, pk, user=user, for_update=for_update)
