from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.audit.models import AuditEvent
from weibao.people.models import Guardianship, LeftBehindStatus
from weibao.people.tests.conftest import make_person
from weibao.testing import make_user


def _url(person) -> str:
    return reverse("people:detail", args=[person.pk])


def test_every_view_is_audited(client_for, liaison_a, pupil_a) -> None:
    client = client_for(liaison_a)
    for _ in range(2):
        assert client.get(_url(pupil_a)).status_code == 200
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, target_id=str(pupil_a.pk))
    assert events.count() == 2
    assert {e.actor for e in events} == {liaison_a}
    assert {e.target_type for e in events} == {"people.person"}


def test_page_shows_masked_values_and_guardians(client_for, liaison_a, pupil_a, parent_a):
    """The child's own school reads the child's name in full (it holds the record); the ID
    number, phone and address are masked, and so is everyone the school does not hold."""
    body = client_for(liaison_a).get(_url(pupil_a)).content.decode()
    assert pupil_a.masked_id_number in body
    assert "138****5678" in body
    assert "张*山" in body  # the father, masked
    assert "<h1>张三 " in body
    for clear in (pupil_a.id_number, pupil_a.phone, "张大山", parent_a.phone):
        assert clear not in body
    assert reverse("people:reveal", args=[pupil_a.pk]) in body


def test_units_that_do_not_hold_the_record_read_the_name_masked(
    client_for, coordinator, police, pupil_a
):
    for user in (coordinator, police):
        body = client_for(user).get(_url(pupil_a)).content.decode()
        assert "张*" in body and "张三" not in body


def test_the_home_address_is_masked_and_revealed_with_a_reason(client_for, liaison_a, pupil_a):
    pupil_a.address = "鳌溪镇上岭村3组12号"
    pupil_a.save()
    client = client_for(liaison_a)
    body = client.get(_url(pupil_a)).content.decode()
    assert "鳌溪镇上岭村" in body and "3组12号" not in body
    response = client.post(
        reverse("people:reveal", args=[pupil_a.pk]), {"field": "address", "reason": "家访核实住址"}
    )
    assert "鳌溪镇上岭村3组12号" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL, target_id=str(pupil_a.pk))
    assert event.detail["field"] == "address"


@pytest.mark.parametrize(
    ("user", "sees_a", "sees_b"),
    [
        ("coordinator", True, True),
        ("liaison_a", True, False),
        ("liaison_b", False, True),
        ("police", True, False),
        ("township_worker", True, False),
        ("outsider", False, False),
    ],
)
def test_scope(request, client_for, pupil_a, pupil_b, user, sees_a, sees_b) -> None:
    client = client_for(request.getfixturevalue(user))
    assert client.get(_url(pupil_a)).status_code == (200 if sees_a else 404)
    assert client.get(_url(pupil_b)).status_code == (200 if sees_b else 404)


def test_other_schools_pupil_is_404_like_a_missing_record(client_for, liaison_a, pupil_b):
    client = client_for(liaison_a)
    assert client.get(_url(pupil_b)).status_code == 404
    assert client.get(reverse("people:detail", args=[pupil_b.pk + 1000])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


@pytest.mark.parametrize("user", ["sysadmin", "auditor"])
def test_system_roles_are_refused(request, client_for, pupil_a, user) -> None:
    assert client_for(request.getfixturevalue(user)).get(_url(pupil_a)).status_code == 403


def test_read_only_user_sees_no_edit_forms(client_for, county, pupil_a) -> None:
    reader = make_user("reader_a", county.school_a, Role.READ_ONLY)
    response = client_for(reader).get(_url(pupil_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("people:edit", args=[pupil_a.pk]) not in body
    assert reverse("people:guardian_add", args=[pupil_a.pk]) not in body
    assert reverse("people:reveal", args=[pupil_a.pk]) in body  # in scope: may reveal, audited


def test_left_behind_warnings(client_for, liaison_a, pupil_a, parent_a) -> None:
    status = LeftBehindStatus.objects.create(
        child=pupil_a,
        parents_away="both",
        entrusted_carer=parent_a,
        last_contact_date=timezone.localdate() - timedelta(days=10),
        carer_disqualified=True,
    )
    client = client_for(liaison_a)
    body = client.get(_url(pupil_a)).content.decode()
    assert "weekly contact" in body and "disqualified by law" in body
    status.last_contact_date = timezone.localdate()
    status.carer_disqualified = False
    status.save()
    body = client.get(_url(pupil_a)).content.decode()
    assert "weekly contact" not in body and "disqualified by law" not in body


def test_guardian_page_lists_the_children_and_no_id(client_for, liaison_a, county, pupil_a):
    grandmother = make_person("王奶奶", county.school_a, birth_date=date(1950, 1, 1), sex="F")
    Guardianship.objects.create(child=pupil_a, guardian=grandmother, relationship="grandparent")
    response = client_for(liaison_a).get(_url(grandmother))
    body = response.content.decode()
    assert response.status_code == 200
    assert pupil_a.get_absolute_url() in body
    assert reverse("people:reveal", args=[grandmother.pk]) not in body  # nothing to reveal
    assert response.context["left_behind_form"] is None  # an adult cannot be left behind
