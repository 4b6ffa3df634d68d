"""A person's name as the viewer may read it: in full for the units that hold the record, masked
for everyone else (Person.name_for; the rule is in the README's "who sees what")."""

from __future__ import annotations

from typing import Any

from django import template

from weibao.people.models import Person

register = template.Library()


@register.filter
def name_for(person: Person | None, user: Any) -> str:
    return person.name_for(user) if person is not None else ""
