"""Who may see and change people's records."""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, sees_people
from weibao.people.models import Person


@rules.predicate
def in_scope(user: User, person: Person | None) -> bool:
    if person is None:
        return False
    return Person.objects.for_user(user).filter(pk=person.pk).exists()


rules.add_perm("people.list_people", sees_people)
rules.add_perm("people.view_person", sees_people & in_scope)
rules.add_perm("people.add_person", can_write)
rules.add_perm("people.change_person", can_write & in_scope)
rules.add_perm("people.reveal_person", sees_people & in_scope)
# An export holds only the rows the user sees anyway, masked; its purpose is asked and audited.
rules.add_perm("people.export_people", sees_people)

__all__ = ["sees_people"]
