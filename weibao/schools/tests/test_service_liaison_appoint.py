from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.core.models import Notification
from weibao.schools.models import LiaisonAppointment
from weibao.schools.services import liaison_appoint, liaison_candidates
from weibao.testing import make_user

MAIN = LiaisonAppointment.Position.MAIN
DEPUTY = LiaisonAppointment.Position.DEPUTY


def test_appoints_the_liaison(education, record_a, liaison_a) -> None:
    appointment = liaison_appoint(actor=education, school=record_a, user=liaison_a)
    assert appointment.is_active
    assert appointment.position == MAIN
    assert appointment.appointed_by == education
    assert appointment.started_on == timezone.localdate()
    assert Notification.objects.filter(recipient=liaison_a).exists()


def test_new_appointment_ends_the_old(education, record_a, appointed_a, liaison_a2) -> None:
    new = liaison_appoint(actor=education, school=record_a, user=liaison_a2)
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on == timezone.localdate()
    assert list(record_a.liaisons.active()) == [new]
    # The history keeps both terms.
    assert record_a.liaisons.count() == 2


def test_one_active_per_position_is_a_database_rule(record_a, appointed_a, liaison_a2) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonAppointment.objects.create(school=record_a, user=liaison_a2, position=MAIN)


def test_deputy_beside_the_main(education, record_a, appointed_a, liaison_a2) -> None:
    liaison_appoint(actor=education, school=record_a, user=liaison_a2, position=DEPUTY)
    positions = set(record_a.liaisons.active().values_list("position", flat=True))
    assert positions == {MAIN, DEPUTY}


def test_a_user_cannot_be_main_and_deputy(education, record_a, appointed_a, liaison_a) -> None:
    with pytest.raises(ValidationError) as caught:
        liaison_appoint(actor=education, school=record_a, user=liaison_a, position=DEPUTY)
    assert "end that term first" in caught.value.message_dict["user"][0]
    assert record_a.liaisons.active().count() == 1


def test_same_user_again_is_refused(education, record_a, appointed_a, liaison_a) -> None:
    with pytest.raises(ValidationError) as caught:
        liaison_appoint(actor=education, school=record_a, user=liaison_a)
    assert "already holds" in caught.value.message_dict["user"][0]
    appointed_a.refresh_from_db()
    assert appointed_a.is_active


def test_user_of_another_school_is_refused(education, record_a, liaison_b) -> None:
    with pytest.raises(ValidationError) as caught:
        liaison_appoint(actor=education, school=record_a, user=liaison_b)
    assert "active user of" in caught.value.message_dict["user"][0]
    assert not LiaisonAppointment.objects.exists()


def test_wrong_role_is_refused(education, record_a, admin_a) -> None:
    with pytest.raises(ValidationError) as caught:
        liaison_appoint(actor=education, school=record_a, user=admin_a)
    assert "campus liaison" in caught.value.message_dict["user"][0]
    assert not LiaisonAppointment.objects.exists()


def test_inactive_user_is_refused(county, education, record_a) -> None:
    gone = make_user("gone", county.school_a, Role.CAMPUS_LIAISON, is_active=False)
    with pytest.raises(ValidationError):
        liaison_appoint(actor=education, school=record_a, user=gone)
    assert gone not in liaison_candidates(record_a)


def test_school_admin_appoints_own_school(admin_a, record_a, liaison_a) -> None:
    appointment = liaison_appoint(actor=admin_a, school=record_a, user=liaison_a)
    assert appointment.appointed_by == admin_a


def test_a_school_cannot_appoint_at_another(county, admin_a, record_b, liaison_b) -> None:
    with pytest.raises(PermissionDenied):
        liaison_appoint(actor=admin_a, school=record_b, user=liaison_b)
    assert not LiaisonAppointment.objects.exists()


@pytest.mark.parametrize("name", ["liaison_a", "outsider", "police", "sysadmin"])
def test_not_allowed(request, record_a, liaison_a, name) -> None:
    with pytest.raises(PermissionDenied):
        liaison_appoint(actor=request.getfixturevalue(name), school=record_a, user=liaison_a)
