"""The nightly reminders (idempotent per day) and the home page's waiting lines."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from weibao.casework import services
from weibao.casework.models import Case, Referral
from weibao.casework.waiting import waiting
from weibao.core.models import Notification


def test_reminders_once_per_day(nurse, police, prosecutor, file_report):
    case = services.case_accept(actor=police, case=file_report(nurse))
    Case.objects.filter(pk=case.pk).update(feedback_due=timezone.localdate() - timedelta(days=1))
    before = Notification.objects.count()
    call_command("run_job", "casework_reminders")
    sent = Notification.objects.filter(title__startswith="Overdue: feedback")
    assert set(sent.values_list("recipient__username", flat=True)) == {"police_a", "prosecutor"}
    after = Notification.objects.count()
    assert after > before
    call_command("run_job", "casework_reminders")
    assert Notification.objects.count() == after


def test_due_tomorrow_reminder(nurse, police, file_report):
    case = services.case_accept(actor=police, case=file_report(nurse))
    Case.objects.filter(pk=case.pk).update(feedback_due=timezone.localdate() + timedelta(days=1))
    services.reminders_send()
    assert Notification.objects.filter(recipient=police, title__startswith="Due tomorrow").exists()


def test_waiting_lists_overdue_first(nurse, police, file_report):
    file_report(nurse)
    overdue = file_report(nurse)
    Case.objects.filter(pk=overdue.pk).update(accept_due_at=timezone.now() - timedelta(hours=1))
    items = [item for item in waiting(police) if item.count]
    assert items[0].label == "Overdue: reports to accept" and items[0].count == 1
    assert any(i.label == "Reports to accept" and i.count == 2 for i in items)
    assert not [item for item in waiting(nurse) if item.count]


def test_waiting_referrals_for_the_receiver(
    nurse, police, relief_worker, civil_affairs, file_report
):
    data = {
        "case": file_report(nurse),
        "to_unit": civil_affairs,
        "action": "relief",
        "request": "x",
    }
    referral, _ = services.referral_create(actor=police, data=data)
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    labels = {i.label: i.count for i in waiting(relief_worker) if i.count}
    assert labels == {"Overdue: referrals to finish": 1, "Referrals to accept": 1}
