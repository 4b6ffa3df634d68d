"""Referral lifecycle, escalation to the coordinator, and the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.casework import services
from weibao.casework.models import Referral, TimelineEntry
from weibao.core.models import Notification


@pytest.fixture
def referral(nurse, police, civil_affairs, relief_worker, coordinator, file_report):
    case = services.case_accept(actor=police, case=file_report(nurse))
    referral, _created = services.referral_create(
        actor=police,
        data={"case": case, "to_unit": civil_affairs, "action": "relief", "request": "临时救助"},
    )
    return referral


def test_lifecycle_accept_and_close(referral, relief_worker, police):
    assert referral.status == Referral.Status.REQUESTED
    assert Notification.objects.filter(recipient=relief_worker).exists()
    referral = services.referral_accept(actor=relief_worker, referral=referral)
    referral = services.referral_close(actor=relief_worker, referral=referral, outcome="已发放")
    assert referral.status == Referral.Status.CLOSED
    kinds = list(TimelineEntry.objects.filter(case=referral.case).values_list("kind", flat=True))
    assert kinds[-3:] == ["referral_sent", "referral_accepted", "referral_closed"]
    assert Notification.objects.filter(recipient=police, title__contains="finished").exists()


def test_decline_needs_a_reason_and_leaves_it_open(referral, relief_worker):
    with pytest.raises(ValidationError) as error:
        services.referral_decline(actor=relief_worker, referral=referral, reason=" ")
    assert "decline_reason" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REQUESTED
    referral = services.referral_decline(actor=relief_worker, referral=referral, reason="不属职责")
    assert referral.status == Referral.Status.DECLINED


def test_cannot_close_before_accepting(referral, relief_worker):
    with pytest.raises(ValidationError) as error:
        services.referral_close(actor=relief_worker, referral=referral, outcome="x")
    assert "outcome" in error.value.message_dict


def test_bad_referral_names_fields(police, file_report, nurse):
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=police,
            data={
                "case": file_report(nurse),
                "to_unit": police.organisation,
                "action": "x",
                "request": "",
                "due_date": timezone.localdate() - timedelta(days=1),
            },
        )
    assert {"to_unit", "action", "request", "due_date"} <= set(error.value.message_dict)
    assert not Referral.objects.exists()


def test_overdue_referral_escalates_to_the_coordinator_once(referral, coordinator):
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    assert services.referrals_escalate() == 1
    assert services.referrals_escalate() == 0
    referral.refresh_from_db()
    assert referral.escalated_at is not None
    assert (
        Notification.objects.filter(recipient=coordinator, kind="casework.escalated").count() == 1
    )
    assert TimelineEntry.objects.filter(referral=referral, kind="referral_escalated").exists()


def test_idempotent_referral(police, civil_affairs, nurse, file_report):
    case = file_report(nurse)
    data = {"case": case, "to_unit": civil_affairs, "action": "relief", "request": "x"}
    first, created = services.referral_create(actor=police, data=data, idempotency_key="k1")
    again, created_again = services.referral_create(actor=police, data=data, idempotency_key="k1")
    assert created and not created_again and first.pk == again.pk


def test_a_hotel_takes_no_referral(police, nurse, file_report, county):
    case = services.case_accept(actor=police, case=file_report(nurse))
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=police,
            data={"case": case, "to_unit": county.hotel, "action": "relief", "request": "救助"},
        )
    assert "to_unit" in error.value.message_dict
    assert not Referral.objects.exists()


def test_the_referral_picker_offers_no_hotel(client_for, police, county):
    page = client_for(police).get("/pick/casework-referral-unit/", {"q": "鳌溪"}).content.decode()
    assert "鳌溪宾馆" not in page
    page = client_for(police).get("/pick/unit/", {"q": "鳌溪"}).content.decode()
    assert "鳌溪宾馆" in page  # the plain unit picker still finds it, for reporters


def test_the_timeline_reads_in_the_readers_language(referral, relief_worker):
    from django.utils import translation

    with translation.override("zh-hans"):
        services.referral_decline(actor=relief_worker, referral=referral, reason="不属于本单位职责")
    entry = TimelineEntry.objects.get(referral=referral, kind="referral_declined")
    sent = TimelineEntry.objects.get(referral=referral, kind="referral_sent")
    with translation.override("en"):
        assert entry.text_display().startswith("Referral declined by ")
        assert entry.text_display().endswith(": 不属于本单位职责")
        assert "Referred to " in sent.text_display() and "care or relief" in sent.text_display()
    with translation.override("zh-hans"):
        assert "Referral" not in entry.text_display() and "不属于本单位职责" in entry.text_display()
        assert "Referred" not in sent.text_display()
