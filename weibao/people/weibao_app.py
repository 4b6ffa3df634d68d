"""The people register: what the app gives the platform (see weibao.core.contract)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from weibao.core.contract import AppContract, Group, Indicator, MenuEntry, Protected, Tile
from weibao.kit.pickers import Picker
from weibao.people.indicators import LEFT_BEHIND_CHILDREN, MINORS_REGISTERED
from weibao.people.models import Person, PersonQuerySet
from weibao.people.services import person_search


def people_in_scope(user: Any) -> PersonQuerySet:
    return Person.objects.for_user(user).select_related("school")


def minors_in_scope(user: Any) -> PersonQuerySet:
    return people_in_scope(user).minors()


def search_people(people: QuerySet[Person], text: str, user: Any) -> QuerySet[Person]:
    """Pinyin, initials, the name, or a whole ID number (that search is audited)."""
    return person_search(people, text, actor=user)  # type: ignore[arg-type]


def person_label(person: Person) -> str:
    """Masked as every list masks names, with the masked ID number."""
    return " ".join(part for part in (person.masked_name, person.masked_id_number) if part)


def person_detail(person: Person) -> str:
    """School · grade and class · age: enough to tell two children of one name apart."""
    age = person.age
    parts = [
        person.school.name if person.school else "",
        f"{person.grade}{person.class_name}",
        gettext("age %(age)s") % {"age": age} if age is not None else "",
    ]
    return " · ".join(part for part in parts if part)


PERSON_PICKER = Picker(
    name="person",
    queryset=people_in_scope,
    search=search_people,
    label=person_label,
    detail=person_detail,
    min_chars=2,
    placeholder=_("Pinyin, initials, name or ID number"),
)
MINOR_PICKER = PERSON_PICKER.variant("minor", minors_in_scope)


def minors_count(user: Any) -> int:
    return minors_in_scope(user).count()


APP = AppContract(
    tiles=[
        Tile(_("Minors in my jurisdiction"), minors_count, "people:list", 10, "people.list_people"),
    ],
    urls="weibao.people.urls",
    url_prefix="people/",
    menu=[MenuEntry(_("People"), "people:list", Group.MINORS, 10, "people.list_people")],
    policy="weibao.people.policy",
    tasks=["weibao.people.tasks"],
    api="weibao.people.api.register",
    pickers=[PERSON_PICKER, MINOR_PICKER],
    protected=[
        Protected(
            "people.Person",
            encrypted=["id_number_encrypted"],
            indexes={"id_number_hash": "id_number_encrypted"},
        )
    ],
    indicators=[
        Indicator(
            key="minors_registered",
            label=_("Minors in the register"),
            unit=pgettext_lazy("indicator unit", "people"),
            measure=MINORS_REGISTERED,
            doc="People under 18 on the period's last day, in the register by then, placed by "
            "residence (or school where no residence is recorded): the per-minor denominator.",
        ),
        Indicator(
            key="left_behind_children",
            label=_("Left-behind children"),
            unit=pgettext_lazy("indicator unit", "people"),
            measure=LEFT_BEHIND_CHILDREN,
            doc="Minors whose left-behind status is active now (the status has no history).",
        ),
    ],
)
