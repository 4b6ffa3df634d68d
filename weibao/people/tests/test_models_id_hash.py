"""Look-up by ID number goes through the unique index on the blind index."""

from __future__ import annotations

from django.db import connection

from weibao.kit import crypto
from weibao.people.models import Person
from weibao.testing import County, id_for

from .conftest import BIRTH_A, make_person


def test_by_id_hash_finds_the_person_through_the_index(county: County) -> None:
    person = make_person("张三", county.school_a, id_number=id_for(BIRTH_A))
    found = Person.objects.by_id_hash(person.id_number_hash)
    assert list(found) == [person]
    assert not Person.objects.by_id_hash(crypto.blind_index("not a number")).exists()
    if connection.vendor == "sqlite":
        # A plain equality would scan the table: the partial unique index needs "not empty".
        assert "USING INDEX person_id_number_unique" in found.explain()
