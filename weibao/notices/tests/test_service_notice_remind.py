from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from weibao.core.models import Notification, WebhookDelivery
from weibao.notices import services
from weibao.notices.models import NoticeRecipient
from weibao.notices.tests.conftest import past_deadline, pdf


def _reminders() -> list[str]:
    return sorted(
        Notification.objects.filter(title__startswith="Reminder").values_list(
            "recipient__username", flat=True
        )
    )


def test_remind_only_the_overdue(sent_notice, education, liaison_a) -> None:
    services.notice_reply(
        actor=liaison_a,
        recipient=NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a),
        uploads=[pdf()],
    )
    assert services.notice_remind_overdue(actor=education, notice=sent_notice) == 0
    past_deadline(sent_notice)
    assert services.notice_remind_overdue(actor=education, notice=sent_notice) == 1
    assert _reminders() == ["liaison_b"]
    row = NoticeRecipient.objects.get(notice=sent_notice, user__username="liaison_b")
    assert row.reminder_count == 1 and row.reminded_at is not None


def test_reminder_goes_to_the_schools_robot(sent_notice, education, county) -> None:
    county.school_b.webhook_url = "https://oapi.dingtalk.com/robot/send?access_token=t"
    county.school_b.save()
    past_deadline(sent_notice)
    services.notice_remind_overdue(actor=education, notice=sent_notice)
    delivery = WebhookDelivery.objects.get()
    assert delivery.organisation == county.school_b
    assert "Reminder" in delivery.payload["markdown"]["title"]


def test_the_hand_action_reminds_each_time(sent_notice, education) -> None:
    past_deadline(sent_notice)
    services.notice_remind_overdue(actor=education, notice=sent_notice)
    services.notice_remind_overdue(actor=education, notice=sent_notice)
    row = NoticeRecipient.objects.get(notice=sent_notice, user__username="liaison_b")
    assert row.reminder_count == 2


def test_scheduled_job_reminds_once_a_day(sent_notice) -> None:
    past_deadline(sent_notice)
    call_command("run_job", "notices_overdue_reminders")
    call_command("run_job", "notices_overdue_reminders")
    assert _reminders() == ["deputy_a", "liaison_a", "liaison_b"]
    assert set(NoticeRecipient.objects.values_list("reminder_count", flat=True)) == {1}


def test_scheduled_job_skips_those_reminded_by_hand_today(sent_notice, education) -> None:
    past_deadline(sent_notice)
    services.notice_remind_overdue(actor=education, notice=sent_notice)
    assert services.notices_remind_overdue_daily() == 0


def test_scheduled_job_reminds_again_the_next_day(sent_notice) -> None:
    past_deadline(sent_notice, days=3)
    assert services.notices_remind_overdue_daily() == 3
    tomorrow = timezone.now() + timedelta(days=1)
    assert services.notices_remind_overdue_daily(now=tomorrow) == 3
    assert services.notices_remind_overdue_daily(now=tomorrow) == 0


def test_scheduled_job_leaves_notices_not_yet_due(sent_notice) -> None:
    assert services.notices_remind_overdue_daily() == 0
    assert _reminders() == []
