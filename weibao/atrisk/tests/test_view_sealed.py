"""Sealed-record applications: apply on the file, decide on the list; sealing buttons."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from weibao.accounts.models import Role
from weibao.atrisk.models import AtRiskFile, MisconductEvent, SealedQueryApplication
from weibao.atrisk.tests.conftest import report
from weibao.testing import make_user


def test_apply_and_decide(client_for, coordinator, police, pupil_a, county):
    report(police, [pupil_a], "SB04", sealed=True)
    file = AtRiskFile.objects.get(person=pupil_a)
    r = client_for(coordinator).post(
        f"{file.get_absolute_url()}sealed/",
        {"legal_basis": "刑事诉讼法第286条", "purpose": "办案需要"},
    )
    assert r.status_code == 302
    application = SealedQueryApplication.objects.get()
    other = make_user("coordinator2", county.procuratorate, Role.COUNTY_COORDINATOR)
    decide = reverse("atrisk:sealed_decide", args=[application.pk])
    bad = client_for(other).post(decide, {"approve": "yes"})
    assert bad.status_code == 400
    ok = client_for(other).post(
        decide,
        {"approve": "yes", "expires_on": (timezone.localdate() + timedelta(days=5)).isoformat()},
    )
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.decision == "approved"


def test_only_coordinators_decide(client_for, liaison_a, police, pupil_a, coordinator):
    report(police, [pupil_a], "SB04", sealed=True)
    file = AtRiskFile.objects.get(person=pupil_a)
    app = SealedQueryApplication.objects.create(
        file=file, applicant=coordinator, legal_basis="x" * 5, purpose="y" * 5
    )
    r = client_for(police).post(reverse("atrisk:sealed_decide", args=[app.pk]), {"approve": "yes"})
    assert r.status_code == 403
    assert client_for(liaison_a).get(reverse("atrisk:sealed_list")).status_code == 200


def test_reporter_seals_its_event(client_for, police, liaison_a, pupil_a):
    event = report(police, [pupil_a], "SB04")
    r = client_for(police).post(
        reverse("atrisk:event_seal", args=[event.pk]), {"reason": "依法封存"}
    )
    assert r.status_code == 302 and MisconductEvent.objects.get(pk=event.pk).sealed
    # The school never saw it, so it cannot even reach it.
    r = client_for(liaison_a).post(
        reverse("atrisk:event_unseal", args=[event.pk]), {"reason": "xxxx"}
    )
    assert r.status_code == 404
