"""Destructive and county-wide actions ask first, in the page's language; dates are typed as
2026-12-02 even in a browser set to American English."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.accounts.models import User
from weibao.notices.models import Notice
from weibao.notices.tests import conftest as notices
from weibao.testing import PASSWORD

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The notices tests' own fixtures (the browser and page are the end-to-end conftest's).
education = notices.education
school_a_record, school_b_record = notices.school_a_record, notices.school_b_record
deputy_a, liaisons = notices.deputy_a, notices.liaisons
make_notice, sent_notice = notices.make_notice, notices.sent_notice


def test_withdrawing_a_notice_asks_first(page: Any, sent_notice: Notice, education: User) -> None:
    education.set_password(PASSWORD)
    education.save()
    log_in(page, "education", PASSWORD)
    page.goto(sent_notice.get_absolute_url())
    withdraw = page.locator("form[data-confirm] button", has_text="撤回")

    withdraw.click()
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert "撤回" in dialog.inner_text() and "取消" in dialog.inner_text()
    dialog.locator("button[value=cancel]").click()
    dialog.wait_for(state="hidden")
    sent_notice.refresh_from_db()
    assert sent_notice.status == Notice.Status.SENT  # cancelled: nothing happened

    withdraw.click()
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        dialog.locator("button[value=ok]").click()
    sent_notice.refresh_from_db()
    assert sent_notice.status == Notice.Status.WITHDRAWN


def test_a_date_box_reads_iso_in_an_english_browser(
    browser: Any, live_server: Any, sent_notice: Notice, education: User
) -> None:
    education.set_password(PASSWORD)
    education.save()
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    page = context.new_page()
    try:
        log_in(page, "education", PASSWORD)
        page.goto("/notices/new/")
        box = page.locator("input[name=deadline]")
        assert box.get_attribute("type") == "text"
        assert box.get_attribute("placeholder") == "2026-12-02 09:30"
    finally:
        context.close()
