from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weibao.schools.services import liaison_end


def test_ends_the_term(education, appointed_a) -> None:
    liaison_end(actor=education, appointment=appointed_a)
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on == timezone.localdate()


def test_school_admin_ends_own(admin_a, appointed_a) -> None:
    liaison_end(actor=admin_a, appointment=appointed_a)
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is not None


def test_twice_is_refused(education, appointed_a) -> None:
    liaison_end(actor=education, appointment=appointed_a)
    with pytest.raises(ValidationError) as caught:
        liaison_end(actor=education, appointment=appointed_a)
    assert "ended_on" in caught.value.message_dict


@pytest.mark.parametrize("name", ["liaison_a", "liaison_b", "outsider"])
def test_not_allowed(request, appointed_a, name) -> None:
    with pytest.raises(PermissionDenied):
        liaison_end(actor=request.getfixturevalue(name), appointment=appointed_a)
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is None
