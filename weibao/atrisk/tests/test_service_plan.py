"""Plans and contacts: made when the grade rises, rhythm from the county rules, overdue warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from weibao.atrisk import services
from weibao.atrisk.models import AtRiskFile, Contact, InterventionPlan, RiskWarning
from weibao.atrisk.tests.conftest import report


def test_t1_gets_a_monthly_plan_and_t2_a_fortnightly_one(liaison_a, police, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    file = AtRiskFile.objects.get(person=pupil_a)
    plan = InterventionPlan.objects.get(file=file)
    assert plan.contact_days == 30 and plan.worker == liaison_a
    report(police, [pupil_a], "SB04")
    plan.refresh_from_db()
    assert plan.contact_days == 14
    contact = Contact.objects.get(file=file, done_at__isnull=True)
    assert contact.due_date == timezone.localdate() + timedelta(days=14)
    assert contact.worker == liaison_a


def test_watch_file_has_no_plan(liaison_a, pupil_a):
    file = services.file_open(actor=liaison_a, person=pupil_a, factors=["hardship"])
    assert file.grade == "T0" and file.grade_rule == "T0:factors"
    assert not InterventionPlan.objects.filter(file=file).exists()


def test_contact_completes_the_due_one_and_schedules_the_next(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    file = AtRiskFile.objects.get(person=pupil_a)
    Contact.objects.update(due_date=timezone.localdate() - timedelta(days=2))
    assert services.contacts_overdue_warn() == 1
    services.contact_record(actor=liaison_a, file=file, data={"kind": "visit", "notes": "家访"})
    assert Contact.objects.filter(file=file, done_at__isnull=False).count() == 1
    nxt = Contact.objects.get(file=file, done_at__isnull=True)
    assert nxt.due_date == timezone.localdate() + timedelta(days=30)
    assert not RiskWarning.objects.filter(kind="overdue", resolved_at__isnull=True).exists()


def test_contact_bad_kind_names_the_field(liaison_a, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    file = AtRiskFile.objects.get(person=pupil_a)
    with pytest.raises(ValidationError) as exc:
        services.contact_record(actor=liaison_a, file=file, data={"kind": "phone"})
    assert "kind" in exc.value.message_dict
    assert not Contact.objects.filter(done_at__isnull=False).exists()


def test_close_drops_pending_contacts_and_resolves_warnings(liaison_a, police, pupil_a):
    report(liaison_a, [pupil_a], "BL02")
    report(police, [pupil_a], "SB04")
    file = AtRiskFile.objects.get(person=pupil_a)
    services.file_close(actor=liaison_a, file=file, reason="moved_away")
    assert not Contact.objects.filter(file=file, done_at__isnull=True).exists()
    assert not RiskWarning.objects.filter(file=file, resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.file_close(actor=liaison_a, file=file, reason="improved")
