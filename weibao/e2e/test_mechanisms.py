"""A leading-group task in the browser, from the lead agency to the owner and back: the lead's
clerk sets it (the owner chosen by typing, never from a list of every unit), the owner submits
its result, the lead accepts it; the owner's page offers no acceptance, the co-unit no result."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from weibao.accounts.models import Role
from weibao.mechanisms.models import LeadingGroup, Member, Task
from weibao.testing import PASSWORD, County, make_user

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_task_set_submitted_and_accepted(browser: Any, live_server: Any, county: County) -> None:
    group = LeadingGroup.objects.create(name="领导小组", lead_unit=county.procuratorate)
    for unit in (county.procuratorate, county.education, county.school_a):
        Member.objects.create(group=group, unit=unit, joined_on=date(2020, 8, 1))
    make_user("lead_clerk", county.procuratorate, Role.CASE_WORKER)
    make_user("edu_clerk", county.education, Role.CASE_WORKER)

    def session(username: str) -> Any:
        context = browser.new_context(locale="zh-CN", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, username, PASSWORD)
        return page

    lead = session("lead_clerk")
    lead.goto("/mechanisms/tasks/new/")
    lead.fill("input[name=title]", "开展法治进校园专项活动")
    lead.fill("input[name=deadline]", "2099-06-30")
    owner = lead.locator(".picker-input").first
    owner.fill("教育")
    result = lead.locator(".picker-result").first
    result.wait_for()
    assert "乐安县教育局" in result.inner_text()
    result.click()
    lead.locator(".picker-chip").first.wait_for()
    with lead.expect_navigation():
        lead.click("main form button[type=submit]")
    task = Task.objects.get()
    assert task.owner_id == county.education.pk and task.state == Task.State.OPEN
    assert "开展法治进校园专项活动" in lead.content()

    owner_page = session("edu_clerk")
    owner_page.goto(f"/mechanisms/tasks/{task.pk}/")
    assert "/accept/" not in owner_page.content()
    submit = owner_page.locator(f"form[action='/mechanisms/tasks/{task.pk}/submit/']")
    submit.locator("textarea").fill("已在全县学校开展，报送工作总结。")
    with owner_page.expect_navigation():
        submit.locator("button[type=submit]").click()
    task.refresh_from_db()
    assert task.state == Task.State.SUBMITTED

    lead.goto(f"/mechanisms/tasks/{task.pk}/")
    accept = lead.locator(f"form[action='/mechanisms/tasks/{task.pk}/accept/']")
    with lead.expect_navigation():
        accept.locator("button[type=submit]").click()
    task.refresh_from_db()
    assert task.state == Task.State.DONE
    assert "已验收" in lead.content()
