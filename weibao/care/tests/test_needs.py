"""A child's needs: recorded from their care, referred to the unit that can meet them through
casework (a referral about the child, answered there like any other), or marked as met."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from weibao.care import services
from weibao.care.models import Need
from weibao.casework import services as casework_services
from weibao.casework.models import Referral
from weibao.core.models import Notification


@pytest.fixture
def need(director, child_a) -> Need:
    return services.need_record(
        actor=director, child=child_a, data={"kind": "relief", "description": "冬季衣物"}
    )


def test_recording_a_need(need, director, child_a) -> None:
    assert need.child == child_a and need.recorded_by == director
    with pytest.raises(ValidationError) as error:
        services.need_record(actor=director, child=child_a, data={"kind": "x", "description": ""})
    assert {"kind", "description"} <= set(error.value.message_dict)


def test_referring_a_need_sends_a_casework_referral(need, director, civil, civil_affairs):
    services.need_refer(actor=director, need=need, data={"to_unit": civil_affairs})
    need.refresh_from_db()
    referral = need.referral
    assert referral is not None and referral.child == need.child
    assert referral.action == Referral.Action.RELIEF and referral.request == "冬季衣物"
    assert referral.person == need.child and referral.from_unit == director.organisation
    assert Notification.objects.filter(recipient=civil, kind="casework.referral").exists()
    assert Referral.objects.for_user(civil).filter(pk=referral.pk).exists()  # they answer it
    with pytest.raises(ValidationError):
        services.need_refer(actor=director, need=need, data={"to_unit": civil_affairs})
    assert Referral.objects.count() == 1


def test_a_need_referred_to_ones_own_unit_is_refused(need, director) -> None:
    with pytest.raises(ValidationError) as error:
        services.need_refer(actor=director, need=need, data={"to_unit": director.organisation})
    assert "to_unit" in error.value.message_dict
    need.refresh_from_db()
    assert need.referral is None and not Referral.objects.exists()


def test_a_need_met_without_a_referral(need, director) -> None:
    services.need_met(actor=director, need=need)
    need.refresh_from_db()
    assert need.met_on is not None and not Need.objects.open().exists()


@pytest.mark.parametrize("actor", ["liaison_a", "civil_reader", "supervisor_b", "outsider"])
def test_only_those_who_keep_the_child(request, need, civil_affairs, actor) -> None:
    user = request.getfixturevalue(actor)
    with pytest.raises(PermissionDenied):
        services.need_record(
            actor=user, child=need.child, data={"kind": "health", "description": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.need_refer(actor=user, need=need, data={"to_unit": civil_affairs})
    with pytest.raises(PermissionDenied):
        services.need_met(actor=user, need=need)


def test_casework_never_takes_a_child_from_its_own_pages(police, child_a, civil_affairs):
    """A referral about a child alone comes only from care's service."""
    with pytest.raises(ValidationError) as error:
        casework_services.referral_create(
            actor=police,
            data={"child": child_a, "to_unit": civil_affairs, "action": "relief", "request": "x"},
        )
    assert "case" in error.value.message_dict
    assert not Referral.objects.exists()


def test_the_child_page_adds_refers_and_meets(client_for, director, child_a, civil_affairs):
    url = reverse("care:need_create", args=[child_a.pk])
    response = client_for(director).post(url, {"kind": "education", "description": ""})
    assert response.status_code == 400 and not Need.objects.exists()
    response = client_for(director).post(url, {"kind": "education", "description": "辍学风险"})
    assert response.status_code == 302
    need = Need.objects.get()
    page = client_for(director).get(reverse("care:child_detail", args=[child_a.pk]))
    assert "辍学风险".encode() in page.content
    url = reverse("care:need_refer", args=[need.pk])
    assert client_for(director).post(url, {"to_unit": ""}).status_code == 400
    response = client_for(director).post(url, {"to_unit": civil_affairs.pk})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.referral is not None
    assert need.referral.action == Referral.Action.SCHOOL_REENTRY


@pytest.mark.parametrize("name", ["need_refer", "need_met"])
def test_need_pages_refuse_others(client_for, need, liaison_b, civil_reader, name) -> None:
    url = reverse(f"care:{name}", args=[need.pk])
    assert client_for(liaison_b).post(url).status_code in (403, 404)
    assert client_for(civil_reader).post(url).status_code in (403, 404)
    need.refresh_from_db()
    assert need.referral is None and need.met_on is None


def test_need_create_refuses_others(client_for, child_a, liaison_a) -> None:
    url = reverse("care:need_create", args=[child_a.pk])
    response = client_for(liaison_a).post(url, {"kind": "relief", "description": "x"})
    assert response.status_code in (403, 404) and not Need.objects.exists()


def test_the_next_visit_follows_the_childs_risk(director, civil, child_a, child_b) -> None:
    today = timezone.localdate()
    calm = services.visit_record(actor=director, child=child_a, data={"visited_on": today})
    assert calm.next_due == today + timedelta(days=30)
    services.difficulty_record(
        actor=civil, child=child_b, data={"category": "hardship", "since": today}
    )
    risky = services.visit_record(actor=civil, child=child_b, data={"visited_on": today})
    assert risky.next_due == today + timedelta(days=14)
    chosen = services.visit_record(
        actor=civil,
        child=child_b,
        data={"visited_on": today, "next_due": today + timedelta(days=3)},
    )
    assert chosen.next_due == today + timedelta(days=3)
