"""Who may see and change people's records."""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, works_with_data
from weibao.kit import access
from weibao.people.models import Person


@rules.predicate
def in_scope(user: User, person: Person | None) -> bool:
    """The person is in the user's `for_user`: trusted when fetched for them (access.py)."""
    return access.in_scope(user, person, Person.objects.for_user)


rules.add_perm("people.list_people", works_with_data)
rules.add_perm("people.view_person", works_with_data & in_scope)
rules.add_perm("people.add_person", can_write)
rules.add_perm("people.change_person", can_write & in_scope)
rules.add_perm("people.reveal_person", works_with_data & in_scope)
# An export holds only the rows the user sees anyway, masked; its purpose is asked and audited.
rules.add_perm("people.export_people", works_with_data)
