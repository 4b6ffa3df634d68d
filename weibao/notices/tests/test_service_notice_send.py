from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weibao.core.models import Notification, WebhookDelivery
from weibao.notices import services
from weibao.notices.models import Notice, NoticeRecipient
from weibao.schools.models import LiaisonAppointment, School


def _recipients(notice: Notice) -> set[str]:
    return set(notice.recipients.values_list("user__username", flat=True))


def test_all_liaisons_main_and_deputy(sent_notice) -> None:
    assert sent_notice.status == Notice.Status.SENT
    assert sent_notice.sent_at is not None
    assert _recipients(sent_notice) == {"liaison_a", "deputy_a", "liaison_b"}


def test_audience_by_township(make_notice, education, liaisons, county) -> None:
    notice = make_notice(townships=[county.township_b])
    assert services.notice_send(actor=education, notice=notice) == 1
    assert _recipients(notice) == {"liaison_b"}


def test_audience_by_school_kind(make_notice, education, liaisons) -> None:
    notice = make_notice(school_kinds=[School.Kind.PRIMARY])
    assert services.notice_send(actor=education, notice=notice) == 2
    assert _recipients(notice) == {"liaison_a", "deputy_a"}


def test_township_and_kind_together(make_notice, education, liaisons, county) -> None:
    notice = make_notice(townships=[county.township_a], school_kinds=[School.Kind.JUNIOR])
    with pytest.raises(ValidationError) as error:
        services.notice_send(actor=education, notice=notice)
    assert "No active campus liaison" in error.value.messages[0]
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT


def test_ended_appointments_and_closed_schools_are_left_out(
    make_notice, education, liaisons, school_b_record
) -> None:
    LiaisonAppointment.objects.filter(user__username="deputy_a").update(ended_on="2026-01-01")
    school_b_record.closed_on = "2026-01-01"
    school_b_record.save()
    notice = make_notice()
    services.notice_send(actor=education, notice=notice)
    assert _recipients(notice) == {"liaison_a"}


def test_recipients_are_fixed_at_sending(sent_notice, county, school_b_record) -> None:
    from weibao.testing import make_user

    newcomer = make_user("newcomer", county.school_b, "campus_liaison")
    LiaisonAppointment.objects.create(
        school=school_b_record, user=newcomer, position=LiaisonAppointment.Position.DEPUTY
    )
    assert "newcomer" not in _recipients(sent_notice)


def test_notifies_each_liaison_without_the_body(sent_notice) -> None:
    notes = Notification.objects.filter(kind="notice")
    assert set(notes.values_list("recipient__username", flat=True)) == {
        "liaison_a",
        "deputy_a",
        "liaison_b",
    }
    note = notes.first()
    assert note is not None
    assert note.link == sent_notice.get_absolute_url()
    assert sent_notice.title in note.title_text()
    assert sent_notice.body not in note.body


def test_webhook_queued_per_school_with_a_robot(
    make_notice, education, liaisons, county, django_capture_on_commit_callbacks
) -> None:
    county.school_a.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    county.school_a.save()
    notice = make_notice()
    # The page only queues: the posts go out from the worker after the commit.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notice_send(actor=education, notice=notice)
    deliveries = WebhookDelivery.objects.all()
    # One per school (main and deputy share school A's robot); school B has none.
    assert [d.organisation for d in deliveries] == [county.school_a]
    assert deliveries[0].status == WebhookDelivery.Status.PENDING
    assert notice.title in deliveries[0].payload["markdown"]["content"]
    assert callbacks  # the worker task is enqueued only on commit


def test_sending_twice_is_refused(sent_notice, education) -> None:
    with pytest.raises(ValidationError):
        services.notice_send(actor=education, notice=sent_notice)
    assert NoticeRecipient.objects.count() == 3


def test_withdraw(sent_notice, education) -> None:
    services.notice_withdraw(actor=education, notice=sent_notice)
    sent_notice.refresh_from_db()
    assert sent_notice.status == Notice.Status.WITHDRAWN
    assert not NoticeRecipient.objects.pending().exists()
