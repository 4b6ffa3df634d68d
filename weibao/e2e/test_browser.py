"""The shell in a real browser: log in, read the home page in both languages, stay in scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from weibao.accounts.models import User
from weibao.people.models import Person
from weibao.testing import PASSWORD, County, id_for

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def make_pupil(county: County, name: str, school: Any, seq: int) -> Person:
    person = Person(
        name=name,
        sex="M",
        birth_date=date(2015, 3, 4),
        school=school,
        registered_by=school,
        division=county.village_a,
    )
    person.set_id_number(id_for(date(2015, 3, 4), seq=seq))
    person.save()
    return person


def test_login_home_and_language_switch(page: Any, liaison_a: User) -> None:
    log_in(page, "liaison_a", PASSWORD)
    assert "鳌溪镇中心小学" in page.content()
    assert "欢迎" in page.inner_text("h1")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert "Welcome" in page.inner_text("h1")
    assert "Log out" in page.content()


def test_wrong_password_is_refused_in_chinese(page: Any, liaison_a: User) -> None:
    log_in(page, "liaison_a", "not-the-password")
    assert "/accounts/login/" in page.url
    assert "用户名或密码" in page.content()


def test_liaison_cannot_open_other_schools_pupil(
    page: Any, county: County, liaison_a: User
) -> None:
    own = make_pupil(county, "张小明", county.school_a, 11)
    other = make_pupil(county, "李小红", county.school_b, 13)
    log_in(page, "liaison_a", PASSWORD)
    page.goto("/people/")
    table = page.inner_text("main")
    assert own.name in table  # the child's own school reads the name in full
    assert other.masked_name not in table
    response = page.goto(f"/people/{other.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"/api/v1/people/{other.pk}/")
    assert response is not None and response.status == 404


def test_export_runs_as_a_job_with_a_progress_bar(
    page: Any, county: County, liaison_a: User, settings: Any
) -> None:
    """The export form starts a job; the job page shows the bar and then the download."""
    # The worker's part runs inline here; the real worker is tested in weibao/core/tests.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_pupil(county, "张小明", county.school_a, 11)
    log_in(page, "liaison_a", PASSWORD)
    page.goto("/people/export/")
    page.fill("textarea[name=purpose], input[name=purpose]", "期末家访名单核对")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/jobs/" in page.url
    assert page.locator("progress").count() == 1
    link = page.get_by_role("link", name="下载结果")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
