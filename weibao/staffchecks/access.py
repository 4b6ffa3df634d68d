"""One access helper per resource of staff checks (see weibao.kit.access).

Pages, the API and services fetch through these: a record the user may not see is a 404, exactly
as one that does not exist, and the object comes back marked so the scope predicate
(`policy.sees_results`) asks the database no second time.
"""

from __future__ import annotations

from weibao.accounts.models import Organisation, User
from weibao.kit.access import fetch
from weibao.staffchecks.models import (
    CheckBatch,
    CheckItem,
    RosterUpload,
    StaffMember,
    units_for_user,
)


def access_unit(user: User, pk: int, *, for_update: bool = False) -> Organisation:
    """A close-contact unit whose roster and results the user may see."""
    return fetch(units_for_user(user), pk, user=user, for_update=for_update)


def access_staff(user: User, pk: int, *, for_update: bool = False) -> StaffMember:
    staff = StaffMember.objects.for_user(user).select_related("person", "unit")
    return fetch(staff, pk, user=user, for_update=for_update)


def access_upload(user: User, pk: int, *, for_update: bool = False) -> RosterUpload:
    uploads = RosterUpload.objects.for_user(user).select_related("unit")
    return fetch(uploads, pk, user=user, for_update=for_update)


def access_batch(user: User, pk: int, *, for_update: bool = False) -> CheckBatch:
    batches = CheckBatch.objects.for_user(user).select_related("unit")
    return fetch(batches, pk, user=user, for_update=for_update)


def access_item(user: User, pk: int, *, for_update: bool = False) -> CheckItem:
    items = CheckItem.objects.for_user(user).select_related("batch__unit", "staff")
    return fetch(items, pk, user=user, for_update=for_update)


def access_match(user: User, pk: int, *, for_update: bool = False) -> CheckItem:
    """A possible match waiting for the police's or procuratorate's decision."""
    items = CheckItem.objects.possible_for_police(user).select_related("batch__unit")
    return fetch(items, pk, user=user, for_update=for_update)
