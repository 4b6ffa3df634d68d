"""Rate limits (weibao.core.ratelimit): a sliding window counted in the database, a clear
refusal with when to try again, and one alert to the auditors per window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from weibao.accounts.models import User
from weibao.audit.models import AuditEvent
from weibao.core import ratelimit
from weibao.core.models import Notification, RateHit
from weibao.kit.ratelimit import DEFAULTS, RateLimited, limit_of

T0 = datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _limits(settings) -> None:
    settings.RATE_LIMITS = {"reveal": (3, 3600), "login": (6, 60)}


def test_defaults_are_six_a_minute_for_logins_and_limits_for_probing() -> None:
    assert DEFAULTS["login"] == (6, 60) and DEFAULTS["token"] == (6, 60)
    assert DEFAULTS["reveal"] == (20, 3600)


def test_the_limit_comes_from_settings() -> None:
    assert (limit_of("reveal").times, limit_of("reveal").seconds) == (3, 3600)
    assert limit_of("unknown").enabled is False


@pytest.mark.django_db
def test_the_window_slides() -> None:
    with time_machine.travel(T0, tick=False) as clock:
        for minutes in (0, 10, 20):
            clock.move_to(T0 + timedelta(minutes=minutes))
            ratelimit.hit("reveal", "user:1")
        clock.move_to(T0 + timedelta(minutes=30))
        with pytest.raises(RateLimited) as refused:
            ratelimit.hit("reveal", "user:1")
        # The oldest attempt leaves the window 30 minutes from now.
        assert refused.value.retry_after == 30 * 60
        assert refused.value.code == "rate_limited"
        assert RateHit.objects.count() == 3  # a refused attempt is not counted
        clock.move_to(T0 + timedelta(minutes=60, seconds=1))
        ratelimit.hit("reveal", "user:1")  # the first left the window: one more is allowed
        with pytest.raises(RateLimited) as refused:
            ratelimit.hit("reveal", "user:1")  # the second leaves it at 70 minutes
        assert refused.value.retry_after == 10 * 60 - 1


@pytest.mark.django_db
def test_subjects_are_counted_apart() -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            ratelimit.hit("reveal", "user:1")
        ratelimit.hit("reveal", "user:2")
        ratelimit.hit("login", "user:1")


@pytest.mark.django_db
def test_the_message_says_what_how_many_and_when(english) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            ratelimit.hit("reveal", "user:1")
        with pytest.raises(RateLimited) as refused:
            ratelimit.hit("reveal", "user:1")
    text = refused.value.messages[0]
    assert "reveals of full ID numbers or phones" in text
    assert "at most 3 in 1\xa0hour" in text
    assert "Try again in 1\xa0hour" in text or "Try again in 60\xa0minutes" in text


@pytest.mark.django_db
def test_check_refuses_without_counting_and_count_counts() -> None:
    with time_machine.travel(T0, tick=False):
        ratelimit.check("reveal", "user:1")
        assert not RateHit.objects.exists()
        for _ in range(3):
            ratelimit.count("reveal", "user:1")
        with pytest.raises(RateLimited):
            ratelimit.check("reveal", "user:1")


@pytest.mark.django_db
def test_a_switched_off_limit_counts_nothing(settings) -> None:
    settings.RATE_LIMITS = {"reveal": (0, 0)}
    for _ in range(50):
        ratelimit.hit("reveal", "user:1")
    assert not RateHit.objects.exists()


def test_the_auditors_are_alerted_once_per_window(
    liaison_a: User, auditor: User, coordinator: User
) -> None:
    subject = ratelimit.user_subject(liaison_a)
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(3):
            ratelimit.hit("reveal", subject, alert=liaison_a)
        assert not Notification.objects.exists()  # under the limit: nobody is told
        for _ in range(4):
            with pytest.raises(RateLimited):
                ratelimit.hit("reveal", subject, alert=liaison_a)
        alerts = Notification.objects.filter(kind="rate_limit")
        assert [n.recipient for n in alerts] == [auditor]  # the auditor, once, not the others
        assert "liaison_a" in alerts.get().title_text()
        assert alerts.get().link == "/audit/?user=liaison_a"
        event = AuditEvent.objects.get(action=AuditEvent.Action.LOCKED_OUT)
        assert event.actor == liaison_a and event.detail["limit"] == "reveal"
        # A new window, a new crossing: told again.
        clock.move_to(T0 + timedelta(hours=2))
        for _ in range(3):
            ratelimit.hit("reveal", subject, alert=liaison_a)
        with pytest.raises(RateLimited):
            ratelimit.hit("reveal", subject, alert=liaison_a)
        assert Notification.objects.filter(kind="rate_limit").count() == 2


@pytest.mark.django_db
def test_prune_deletes_counts_older_than_the_longest_window() -> None:
    with time_machine.travel(T0, tick=False) as clock:
        ratelimit.hit("reveal", "user:1")
        clock.move_to(T0 + timedelta(minutes=50))
        ratelimit.hit("login", "ip:10.0.0.1")
        clock.move_to(T0 + timedelta(minutes=61))
        assert ratelimit.prune() == 1
        assert list(RateHit.objects.values_list("key", flat=True)) == ["login:ip:10.0.0.1"]
