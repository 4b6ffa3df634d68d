"""notify(): inbox rows, group-robot deliveries and e-mail, none of which may fail the caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from weibao.accounts.models import Organisation, User
from weibao.core import services, tasks
from weibao.core.models import Notification, WebhookDelivery
from weibao.core.tests.conftest import Robot
from weibao.testing import County


def test_creates_one_row_per_active_recipient(liaison_a: User, liaison_b: User) -> None:
    liaison_b.is_active = False
    liaison_b.save(update_fields=["is_active"])

    rows = services.notify(
        recipients=[liaison_a, liaison_a, liaison_b],
        title="New referral",
        body="A case was referred to your school.",
        link="/cases/1/",
        kind="referral",
    )

    assert [row.recipient for row in rows] == [liaison_a]
    row = Notification.objects.get()
    assert (row.title, row.body, row.link, row.kind) == (
        "New referral",
        "A case was referred to your school.",
        "/cases/1/",
        "referral",
    )
    assert row.read_at is None


def test_unread_count_shows_on_every_page(liaison_a: User, client_for: Any) -> None:
    services.notify(recipients=[liaison_a], title="One")
    services.notify(recipients=[liaison_a], title="Two")
    client = client_for(liaison_a)

    for url in ("/", "/inbox/", "/accounts/password/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<span class="badge" id="unread-count">2</span>' in response.content.decode(), url


def test_no_badge_when_nothing_unread(liaison_a: User, client_for: Any) -> None:
    assert 'id="unread-count"' not in client_for(liaison_a).get("/").content.decode()


def test_queues_a_delivery_for_units_with_a_robot(
    county: County,
    liaison_a: User,
    school_a_robot: Organisation,
    django_capture_on_commit_callbacks: Any,
    immediate_tasks: None,
    robot: Robot,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(
            recipients=[liaison_a],
            title="Drowning-season reminder",
            body="Check the ponds near the school.",
            link="/waters/",
            webhook_units=[school_a_robot, county.school_b],  # school B has no robot
        )

    assert len(callbacks) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.organisation == school_a_robot
    assert delivery.status == WebhookDelivery.Status.SENT
    assert delivery.attempts == 1
    assert robot.received == [delivery.payload]
    assert "Drowning-season reminder" in robot.received[0]["markdown"]["content"]


def test_nothing_leaves_before_the_caller_commits(
    liaison_a: User,
    school_a_robot: Organisation,
    django_capture_on_commit_callbacks: Any,
    immediate_tasks: None,
    robot: Robot,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[liaison_a], title="t", webhook_units=[school_a_robot])

    assert len(callbacks) == 1
    assert robot.received == []
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING


def test_rolled_back_action_sends_nothing(
    liaison_a: User, school_a_robot: Organisation, immediate_tasks: None, robot: Robot
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=[liaison_a], title="t", webhook_units=[school_a_robot])
        raise RuntimeError("the action failed")

    assert Notification.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0
    assert robot.received == []


def test_failing_enqueue_never_reaches_the_caller(
    liaison_a: User,
    school_a_robot: Organisation,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    liaison_a.email = "liaison@example.org"
    liaison_a.save(update_fields=["email"])

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("queue is down")

    monkeypatch.setattr(type(tasks.send_webhook), "enqueue", broken)

    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify(recipients=[liaison_a], title="t", webhook_units=[school_a_robot])

    assert len(rows) == 1
    assert "could not enqueue webhook delivery" in caplog.text
    assert "could not enqueue e-mail" in caplog.text


def test_failing_delivery_rows_never_reach_the_caller(
    liaison_a: User,
    school_a_robot: Organisation,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("bad payload")

    monkeypatch.setattr(services, "webhook_payload", broken)

    rows = services.notify(recipients=[liaison_a], title="t", webhook_units=[school_a_robot])

    assert len(rows) == 1
    assert WebhookDelivery.objects.count() == 0
    assert "could not queue group-robot messages" in caplog.text


def test_email_sent_when_smtp_is_configured(
    liaison_a: User,
    liaison_b: User,
    settings: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    settings.SITE_URL = "https://weibao.example.gov.cn"
    liaison_a.email = "a@example.org"
    liaison_a.save(update_fields=["email"])  # liaison_b has no address

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[liaison_a, liaison_b], title="Report due", body="Tomorrow.", link="/x/"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.org"]
    assert "Report due" in message.subject
    assert "Tomorrow." in message.body
    assert "https://weibao.example.gov.cn/x/" in message.body


def test_one_message_per_address(
    liaison_a: User,
    liaison_b: User,
    settings: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    for user, address in ((liaison_a, "a@example.org"), (liaison_b, "b@example.org")):
        user.email = address
        user.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[liaison_a, liaison_b], title="t")

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)


@pytest.mark.parametrize("email", [True, False])
def test_no_email_without_smtp_or_when_not_wanted(
    liaison_a: User,
    settings: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
    email: bool,
) -> None:
    settings.EMAIL_HOST = "" if email else "smtp.example.org"
    liaison_a.email = "a@example.org"
    liaison_a.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[liaison_a], title="t", email=email)

    assert mail.outbox == []
    assert Notification.objects.count() == 1


def test_a_message_notification_reads_in_each_readers_language(liaison_a, liaison_b) -> None:
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from weibao.kit.messages import Message

    (note, _other) = services.notify(
        recipients=[liaison_a, liaison_b],
        title=Message(gettext_noop("New notice: %(title)s"), {"title": "防溺水"}),
    )
    assert note.title_args == {"title": "防溺水"}  # kept as the message and its values
    with translation.override("en"):
        assert note.title_text() == "New notice: 防溺水"
    with translation.override("zh-hans"):
        assert note.title_text() != "New notice: 防溺水" and "防溺水" in note.title_text()
