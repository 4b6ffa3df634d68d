from __future__ import annotations

import pytest
from django.urls import reverse

from weibao.schools.models import LiaisonAppointment


def _url(school) -> str:
    return reverse("schools:liaison_appoint", args=[school.pk])


def test_offers_the_schools_liaisons_only(
    client_for, education, record_a, liaison_a, liaison_a2, liaison_b, admin_a
) -> None:
    form = client_for(education).get(_url(record_a)).context["form"]
    assert set(form.fields["user"].queryset) == {liaison_a, liaison_a2}


def test_appoint_replaces_the_main(client_for, education, record_a, appointed_a, liaison_a2):
    response = client_for(education).post(_url(record_a), {"user": liaison_a2.pk,
                                                           "position": "main"})  # fmt: skip
    assert response.status_code == 302
    assert record_a.liaisons.active().get().user == liaison_a2
    appointed_a.refresh_from_db()
    assert appointed_a.ended_on is not None


def test_school_admin_appoints_own(client_for, admin_a, record_a, liaison_a) -> None:
    response = client_for(admin_a).post(_url(record_a), {"user": liaison_a.pk, "position": "main"})
    assert response.status_code == 302
    assert record_a.liaisons.active().get().user == liaison_a


def test_both_positions_refused(client_for, education, record_a, appointed_a, liaison_a):
    response = client_for(education).post(_url(record_a), {"user": liaison_a.pk,
                                                           "position": "deputy"})  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors["user"]
    assert record_a.liaisons.count() == 1


def test_user_of_another_school_is_not_a_choice(client_for, education, record_a, liaison_b):
    response = client_for(education).post(_url(record_a), {"user": liaison_b.pk,
                                                           "position": "main"})  # fmt: skip
    assert response.status_code == 400
    assert not LiaisonAppointment.objects.exists()


def test_a_school_cannot_appoint_at_another(client_for, admin_a, record_b, liaison_b) -> None:
    response = client_for(admin_a).post(_url(record_b), {"user": liaison_b.pk, "position": "main"})
    assert response.status_code == 403
    assert not LiaisonAppointment.objects.exists()


@pytest.mark.parametrize("name", ["liaison_a", "liaison_b", "outsider", "police"])
def test_not_allowed(request, client_for, record_a, liaison_a, name) -> None:
    client = client_for(request.getfixturevalue(name))
    assert client.get(_url(record_a)).status_code == 403
    response = client.post(_url(record_a), {"user": liaison_a.pk, "position": "main"})
    assert response.status_code == 403
    assert not LiaisonAppointment.objects.exists()


def test_anonymous_redirected(client, record_a) -> None:
    assert client.get(_url(record_a)).status_code == 302
