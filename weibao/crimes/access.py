"""One access helper per resource of the register (see weibao.kit.access)."""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.crimes.models import Case, Suspect, Victim
from weibao.kit.access import fetch


def access_case(user: User, pk: Any, *, for_update: bool = False) -> Case:
    cases = Case.objects.for_user(user).select_related("division__parent", "created_by_unit")
    return fetch(cases, pk, user=user, for_update=for_update)


def access_suspect(user: User, pk: Any, *, for_update: bool = False) -> Suspect:
    suspects = Suspect.objects.for_user(user).select_related("case", "person", "atrisk_measure")
    return fetch(suspects, pk, user=user, for_update=for_update)


def access_victim(user: User, pk: Any, *, for_update: bool = False) -> Victim:
    victims = Victim.objects.for_user(user).select_related("case", "person", "referral")
    return fetch(victims, pk, user=user, for_update=for_update)
