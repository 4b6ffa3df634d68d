from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.people.models import LeftBehindStatus
from weibao.people.tests.conftest import make_person
from weibao.testing import make_user


def _url(person) -> str:
    return reverse("people:left_behind", args=[person.pk])


def _data(**changes):
    return {"parents_away": "both", "is_active": "on"} | changes


def test_records_the_status_with_a_guardian_as_carer(client_for, liaison_a, pupil_a, parent_a):
    today = timezone.localdate().isoformat()
    response = client_for(liaison_a).post(
        _url(pupil_a),
        _data(entrusted_carer=parent_a.pk, written_notice_date=today, last_contact_date=today),
    )
    assert response.status_code == 302
    status = LeftBehindStatus.objects.get()
    assert status.entrusted_carer == parent_a
    assert status.is_active and not status.contact_overdue


def test_carer_must_be_one_of_the_childs_guardians(client_for, liaison_a, pupil_a, county):
    stranger = make_person("路人", county.school_a, sex="M")
    response = client_for(liaison_a).post(_url(pupil_a), _data(entrusted_carer=stranger.pk))
    assert response.status_code == 400
    assert "entrusted_carer" in response.context["left_behind_form"].errors
    assert not LeftBehindStatus.objects.exists()


def test_future_date_is_refused(client_for, liaison_a, pupil_a) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(liaison_a).post(_url(pupil_a), _data(last_contact_date=tomorrow))
    assert response.status_code == 400
    assert "last_contact_date" in response.context["left_behind_form"].errors
    assert not LeftBehindStatus.objects.exists()


@pytest.mark.parametrize(
    ("user", "target", "status"),
    [
        ("liaison_b", "pupil_a", 404),
        ("police", "pupil_b", 404),  # police see township A's children, not township B's
        ("outsider", "pupil_a", 404),
        ("auditor", "pupil_a", 403),
    ],
)
def test_not_allowed(request, client_for, user, target, status) -> None:
    client = client_for(request.getfixturevalue(user))
    assert client.post(_url(request.getfixturevalue(target)), _data()).status_code == status
    assert not LeftBehindStatus.objects.exists()


def test_read_only_user_in_scope_cannot_set(client_for, county, pupil_a) -> None:
    reader = make_user("reader_a", county.school_a, Role.READ_ONLY)
    assert client_for(reader).post(_url(pupil_a), _data()).status_code == 403
    assert not LeftBehindStatus.objects.exists()
