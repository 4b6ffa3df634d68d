"""A tour of every page in each role's menu, in Chinese: no internal code, Python dict or
English word shows; and the same tour's home pages and the at-risk event form are saved as
screenshots (to $WEIBAO_SCREENSHOTS when set) in Chinese and in English."""

from __future__ import annotations

import os
import re
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from weibao.accounts.models import User
from weibao.core.contract import menu_for
from weibao.testing import PASSWORD

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Words that are names, not English: file kinds, standards, the API's own words.
ALLOWED = {
    "API", "Excel", "Word", "PDF", "CSV", "GB", "JSON", "OpenAPI", "English", "WeCom",
    "DingTalk", "TOTP", "ECharts", "GeoJSON", "WGS", "ID", "IP", "URL", "HTTP", "HTTPS",
    "xlsx", "xls", "csv", "docx", "WPS", "jpg", "png", "jpeg",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
INTERNAL = re.compile(r"\b(T[0-4]P?:[a-z]+|[a-z]+_[a-z_]+)\b|\{'|'\}|None\b")


def _visible_text(page: Any) -> str:
    return page.locator("body").inner_text()


def _check_chinese(text: str, user: User, url: str) -> list[str]:
    allowed = ALLOWED | {user.username, *user.username.split("_")}
    found = [w for w in WORD.findall(text) if w not in allowed]
    found += [m.group(0) for m in INTERNAL.finditer(text) if m.group(0) != user.username]
    return [f"{url}: {w}" for w in found]


@pytest.mark.parametrize("role", ["coordinator", "liaison_a", "police", "township_worker"])
def test_the_menu_tour_shows_no_english_or_codes_in_chinese(
    page: Any, role: str, request: pytest.FixtureRequest
) -> None:
    import_module("weibao.atrisk.migrations.0002_behaviours").forwards(apps, None)
    user: User = request.getfixturevalue(role)
    log_in(page, user.username, PASSWORD)
    problems: list[str] = []
    urls = ["/", *(entry.url for entry in menu_for(user) if not entry.url.startswith("/api/"))]
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status < 400, url
        problems += _check_chinese(_visible_text(page), user, url)
    assert not problems, "\n".join(problems[:40])


def _shots() -> Path | None:
    folder = os.environ.get("WEIBAO_SCREENSHOTS")
    return Path(folder) if folder else None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_pages_and_the_event_form_in_both_languages(
    browser: Any, live_server: Any, language: str, coordinator: User, liaison_a: User,
    police: User,
) -> None:  # fmt: skip
    import_module("weibao.atrisk.migrations.0002_behaviours").forwards(apps, None)
    folder = _shots()
    for user in (coordinator, liaison_a, police):
        context = browser.new_context(
            locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        try:
            log_in(page, user.username, PASSWORD)
            if language == "en":
                with page.expect_navigation():
                    page.select_option("select[name=language]", "en")
            page.goto("/")
            assert page.locator("h1").inner_text()
            assert page.locator("html").get_attribute("lang") == language
            if folder:
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"home-{user.username}-{language}.png"))
            if user is liaison_a:
                page.goto("/at-risk/events/new/")
                assert page.locator(".picker-input").count() >= 1
                if folder:
                    page.screenshot(path=str(folder / f"event-form-{language}.png"), full_page=True)
        finally:
            context.close()
