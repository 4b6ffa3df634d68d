from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from weibao.audit.models import AuditEvent
from weibao.people.models import Guardianship
from weibao.people.services import guardian_add
from weibao.people.tests.conftest import make_person


@pytest.fixture
def mother(county):
    return make_person("王芳", county.school_a, birth_date=date(1988, 2, 3), sex="F")


def test_guardian_is_added_and_audited_on_the_child(liaison_a, pupil_a, mother) -> None:
    guardianship = guardian_add(
        actor=liaison_a, child=pupil_a, guardian=mother, relationship="mother", is_primary=True
    )
    assert guardianship.is_primary
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert (event.target_type, event.target_id) == ("people.person", str(pupil_a.pk))
    assert event.detail["guardian_id"] == mother.pk
    assert "王芳" not in str(event.detail)


def test_a_new_primary_guardian_replaces_the_old(liaison_a, pupil_a, parent_a, mother) -> None:
    guardian_add(
        actor=liaison_a, child=pupil_a, guardian=mother, relationship="mother", is_primary=True
    )
    primary = Guardianship.objects.filter(child=pupil_a, is_primary=True)
    assert [g.guardian for g in primary] == [mother]


@pytest.mark.parametrize("case", ["self", "minor", "twice", "relationship"])
def test_bad_guardians_are_refused(liaison_a, pupil_a, parent_a, pupil_b, case) -> None:
    guardian, relationship, field = {
        "self": (pupil_a, "father", "guardian"),
        "minor": (pupil_b, "sibling", "guardian"),
        "twice": (parent_a, "father", "guardian"),
        "relationship": (parent_a, "uncle", "relationship"),
    }[case]
    before = Guardianship.objects.count()
    with pytest.raises(ValidationError) as caught:
        guardian_add(actor=liaison_a, child=pupil_a, guardian=guardian, relationship=relationship)
    assert field in caught.value.message_dict
    assert Guardianship.objects.count() == before
    assert not AuditEvent.objects.exists()
