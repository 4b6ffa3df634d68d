"""The people export with the real task worker, watched in the browser to the end.

It failed at 9 % with "database is locked" while its progress page was open. Here the worker
(`db_worker`, the command `make demo` runs) takes the job while the page polls the bar, and the
bar is watched until the download appears.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from weibao.accounts.models import User
from weibao.testing import PASSWORD, County

from .conftest import log_in
from .test_browser import make_pupil

WORKER = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_runs_to_the_download(
    page: Any, county: County, liaison_a: User, file_root: Any
) -> None:
    for seq in range(400):
        make_pupil(county, "张小明", county.school_a, seq)
    log_in(page, "liaison_a", PASSWORD)
    page.goto("/people/export/")
    page.fill("textarea[name=purpose], input[name=purpose]", "期末家访名单核对")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/jobs/" in page.url
    assert page.locator("progress").count() == 1  # queued: the bar polls before the worker starts

    # The worker runs here, on the main thread (it sets signal handlers), while Chromium keeps
    # polling the bar every second through the live server's thread.
    call_command(*WORKER, verbosity=0)
    link = page.get_by_role("link", name="下载结果")
    link.wait_for(timeout=30_000)
    body = page.locator("main").inner_text()
    assert "失败" not in body and "locked" not in body
    assert page.locator("progress").count() == 0 or "100%" in body
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
