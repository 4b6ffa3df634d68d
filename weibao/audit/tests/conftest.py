"""Audit test helpers: a person to look at."""

from __future__ import annotations

from datetime import date

import pytest

from weibao.people.models import Person
from weibao.testing import County


@pytest.fixture
def pupil(county: County) -> Person:
    return Person.objects.create(
        name="张小明",
        sex="M",
        birth_date=date(2015, 3, 4),
        school=county.school_a,
        registered_by=county.school_a,
    )
