"""One access helper for the people register: a person, fetched once through `for_user`.

Pages, the API and services call it (see weibao.kit.access): Http404 for a record the user may
not see, exactly as for one that does not exist; the person comes back marked as fetched for the
user, so the scope predicate in policy.py trusts it without a second query.
"""

from __future__ import annotations

from typing import Any

from weibao.accounts.models import User
from weibao.kit.access import fetch
from weibao.people.models import Person

# What the person's page shows beside the record itself.
PAGE_RELATED = ("school", "registered_by", "division", "hukou_division")


def access_person(user: User, pk: Any, *, for_update: bool = False) -> Person:
    people = Person.objects.for_user(user).select_related(*PAGE_RELATED)
    return fetch(people, pk, user=user, for_update=for_update)
