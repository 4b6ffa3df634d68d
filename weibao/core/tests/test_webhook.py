"""Group-robot deliveries: the payload, retries against a real local server, the real worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from weibao.accounts.models import Organisation, User
from weibao.core import services
from weibao.core.models import WebhookDelivery
from weibao.core.services import webhook_payload
from weibao.core.tests.conftest import Robot

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=abc"


def test_wecom_payload() -> None:
    payload = webhook_payload(WECOM, "New referral", "Please accept it.", "https://w.example/c/1/")

    assert payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"content"}
    content = payload["markdown"]["content"]
    assert "New referral" in content
    assert "Please accept it." in content
    assert "(https://w.example/c/1/)" in content


def test_dingtalk_payload() -> None:
    payload = webhook_payload(DINGTALK, "New referral", "Please accept it.", "")

    assert payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"title", "text"}
    assert "New referral" in payload["markdown"]["title"]
    assert "Please accept it." in payload["markdown"]["text"]
    assert "](" not in payload["markdown"]["text"]  # no link given, none shown


def test_payload_carries_the_platform_keyword_and_a_short_body() -> None:
    # DingTalk robots are usually guarded by a keyword; the platform's name is it.
    payload = webhook_payload(DINGTALK, "t", "x" * 5000, "")

    assert "Weibao" in payload["markdown"]["text"] or "未保" in payload["markdown"]["text"]
    assert len(payload["markdown"]["text"]) < 1200


def _delivery(unit: Organisation, url: str) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        organisation=unit, url=url, payload=webhook_payload(url, "t", "b", "")
    )


def test_retries_until_the_robot_accepts(
    school_a_robot: Organisation, robot: Robot, immediate_tasks: None
) -> None:
    robot.answers = [(500, {"error": "busy"}), (200, {"errcode": 0, "errmsg": "ok"})]
    delivery = _delivery(school_a_robot, robot.url)

    assert services.webhook_deliver(delivery_id=delivery.pk) == "will retry"

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SENT
    assert delivery.attempts == 2
    assert delivery.sent_at is not None
    assert delivery.last_error == ""
    assert robot.received == [delivery.payload, delivery.payload]


def test_errcode_is_a_failure(
    school_a_robot: Organisation, robot: Robot, immediate_tasks: None
) -> None:
    # Robots answer HTTP 200 even when they refuse the message.
    robot.answers = [(200, {"errcode": 310000, "errmsg": "keywords not in content"})]
    delivery = _delivery(school_a_robot, robot.url)

    services.webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "310000" in delivery.last_error
    assert "keywords not in content" in delivery.last_error


def test_always_failing_robot_ends_failed_and_never_fails_notify(
    liaison_a: User,
    school_a_robot: Organisation,
    robot: Robot,
    settings: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    robot.answers = [(502, {"error": "bad gateway"})]

    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify(recipients=[liaison_a], title="t", webhook_units=[school_a_robot])

    assert len(rows) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert len(robot.received) == 3
    assert "502" in delivery.last_error


def test_unreachable_robot_ends_failed(
    school_a_robot: Organisation, settings: Any, immediate_tasks: None
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    # Port 9 on localhost: nothing listens; the connection is refused at once.
    delivery = _delivery(school_a_robot, "http://127.0.0.1:9/robot")

    services.webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 2
    assert delivery.last_error


def test_retry_waits_with_exponential_backoff(
    school_a_robot: Organisation, robot: Robot, settings: Any
) -> None:
    # The database queue can wait: the retry is queued for later, not run now.
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    robot.answers = [(500, {})]
    delivery = _delivery(school_a_robot, robot.url)
    before = timezone.now()

    services.webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert timedelta(seconds=29) < delivery.next_attempt_at - before < timedelta(seconds=40)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    assert retry.run_after == delivery.next_attempt_at

    # The second attempt waits twice as long.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    services.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert timedelta(seconds=59) < delivery.next_attempt_at - before < timedelta(seconds=70)


def test_a_second_task_for_the_same_delivery_stands_down(
    school_a_robot: Organisation, robot: Robot, settings: Any
) -> None:
    robot.answers = [(500, {})]
    delivery = _delivery(school_a_robot, robot.url)
    services.webhook_deliver(delivery_id=delivery.pk)  # fails; retry queued for later

    # A duplicate task (say, queued again by webhook_retry_stale) runs before the retry is due.
    assert services.webhook_deliver(delivery_id=delivery.pk) == "a retry is already scheduled"
    assert len(robot.received) == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.SENT)
    assert services.webhook_deliver(delivery_id=delivery.pk) == "nothing to send"


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_and_retries(
    liaison_a: User, school_a_robot: Organisation, robot: Robot, settings: Any
) -> None:
    """Through the database queue and `manage.py db_worker`, as in production."""
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # retry at once so one batch sees it
    robot.answers = [(500, {"error": "busy"}), (200, {"errcode": 0})]

    services.notify(recipients=[liaison_a], title="Real worker", webhook_units=[school_a_robot])

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    sends = DBTaskResult.objects.filter(task_path="weibao.core.tasks.send_webhook")
    assert sends.count() == 1  # queued on commit, not run yet
    assert robot.received == []

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SENT
    assert delivery.attempts == 2
    assert len(robot.received) == 2
    assert "Real worker" in robot.received[1]["markdown"]["content"]
    assert sends.successful().count() == 2


def test_stale_pending_deliveries_are_queued_again(
    school_a_robot: Organisation, robot: Robot, immediate_tasks: None
) -> None:
    old = _delivery(school_a_robot, robot.url)
    WebhookDelivery.objects.filter(pk=old.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=11)
    )
    fresh = _delivery(school_a_robot, robot.url)  # its task is presumably still queued

    assert services.webhook_retry_stale() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == WebhookDelivery.Status.SENT
    assert fresh.status == WebhookDelivery.Status.PENDING
    assert len(robot.received) == 1
