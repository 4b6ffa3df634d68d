"""The notices figures for the statistics app: notices sent and the share of schools answering."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from weibao.core.contract import Period, figure
from weibao.notices import services
from weibao.notices.models import NoticeRecipient
from weibao.notices.tests.conftest import pdf

NOON = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _midyear() -> Iterator[None]:
    with time_machine.travel(NOON, tick=False):
        yield


def test_notices_sent_by_year_and_township(sent_notice, make_notice, county) -> None:
    make_notice(title="草稿，未发出")
    year = Period.year(2026)
    assert figure("notices.notices_sent", division=None, period=year) == 1
    assert figure("notices.notices_sent", division=county.township_a, period=year) == 1
    assert figure("notices.notices_sent", division=None, period=Period.year(2025)) == 0
    assert figure("notices.notices_sent", division=None, period=year) == 1


def test_reply_rate_counts_each_school_once(sent_notice, liaison_a, county) -> None:
    year = Period.year(2026)
    assert figure("notices.notice_reply_rate", division=None, period=year) == Decimal(0)
    recipient = NoticeRecipient.objects.get(notice=sent_notice, user=liaison_a)
    services.notice_reply(actor=liaison_a, recipient=recipient, uploads=[pdf()])
    # School A (two liaisons) answered, school B did not: one school of two.
    assert figure("notices.notice_reply_rate", division=None, period=year) == Decimal("50.0")
    assert figure("notices.notice_reply_rate", division=county.township_a, period=year) == Decimal(
        "100.0"
    )
    assert figure("notices.notice_reply_rate", division=county.township_b, period=year) == Decimal(
        0
    )
