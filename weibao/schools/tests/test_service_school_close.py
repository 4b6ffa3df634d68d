from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weibao.schools.models import LiaisonAppointment
from weibao.schools.services import school_close


def test_close_ends_the_liaisons_terms(education, record_a, appointed_a) -> None:
    school_close(actor=education, school=record_a)
    record_a.refresh_from_db()
    assert record_a.closed_on is not None
    assert not LiaisonAppointment.objects.active().exists()


def test_close_twice_is_refused(education, record_a) -> None:
    school_close(actor=education, school=record_a)
    with pytest.raises(ValidationError) as caught:
        school_close(actor=education, school=record_a)
    assert "closed_on" in caught.value.message_dict


@pytest.mark.parametrize("name", ["admin_a", "liaison_a", "outsider"])
def test_not_allowed(request, record_a, name) -> None:
    with pytest.raises(PermissionDenied):
        school_close(actor=request.getfixturevalue(name), school=record_a)
    record_a.refresh_from_db()
    assert record_a.closed_on is None
