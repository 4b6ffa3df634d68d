"""Staff record checks in a real browser: the bureau's one-click annual re-check, the school's
results without any register detail, and the possible match waiting for the police."""

from __future__ import annotations

from typing import Any

import pytest

from weibao.accounts.models import Role, User
from weibao.staffchecks import services
from weibao.staffchecks.models import CheckBatch
from weibao.testing import PASSWORD, County, id_for, make_roster, make_user, xlsx_upload

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_annual_recheck_in_one_click_hides_the_details_from_the_school(
    page: Any, county: County, admin_a: User, liaison_a: User, police: User, settings: Any
) -> None:
    # The worker's part runs inline here; the real worker is tested in weibao/core/tests.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    barred, lookalike, clear = make_roster(county, admin_a)
    other = id_for(lookalike.person.birth_date, 999)
    services.register_import(
        actor=police,
        upload=xlsx_upload(
            [str(column.header) for column in services.REGISTER_COLUMNS],
            [
                ["张伟", barred.person.id_number, "", "性侵害"],
                ["王 芳", other, lookalike.person.birth_date.isoformat(), "虐待"],
            ],
        ),
    )
    make_user("edu", county.education, Role.CASE_WORKER)

    log_in(page, "edu", PASSWORD)
    page.goto("/staff-checks/batches/")
    page.get_by_role("button", name="对所有单位开展年度复查").click()
    dialog = page.locator("#confirm-dialog")  # county-wide: it asks first
    dialog.wait_for(state="visible")
    with page.expect_navigation():
        dialog.locator("button[value=ok]").click()
    assert "/jobs/" in page.url and page.locator("progress").count() == 1
    page.locator(".job-done").wait_for()
    assert "已查询" in page.inner_text(".job-done")

    page.context.clear_cookies()
    log_in(page, "liaison_a", PASSWORD)
    batch = CheckBatch.objects.get(unit=county.school_a, kind=CheckBatch.Kind.ANNUAL)
    page.goto(f"/staff-checks/batches/{batch.pk}/")
    rows = {
        row.locator("td").nth(0).inner_text(): row.locator("td").nth(2).inner_text()
        for row in page.locator("main table tbody tr").all()
    }
    assert rows == {
        barred.person.masked_name: "不得录用/应调离密切接触未成年人岗位",
        lookalike.person.masked_name: "待定",  # a possible match is the police's to decide
        clear.person.masked_name: "无记录",
    }
    text = page.inner_text("main")
    assert "性侵" not in text and "虐待" not in text and "sexual" not in text

    page.context.clear_cookies()
    log_in(page, police.username, PASSWORD)
    page.goto("/staff-checks/matches/")
    assert lookalike.person.name in page.inner_text("main")  # the police compare full names
