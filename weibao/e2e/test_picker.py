"""The at-risk event form's child picker in the browser: type pinyin, choose with the keyboard,
save. The page never lists the school's pupils; the search returns them as buttons (htmx)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from weibao.accounts.models import User
from weibao.atrisk.models import MisconductEvent
from weibao.lib.pinyin import name_pinyin
from weibao.testing import PASSWORD, County

from .conftest import log_in
from .test_browser import make_pupil

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pupil(county: County, name: str, seq: int) -> Any:
    person = make_pupil(county, name, county.school_a, seq)
    person.name_pinyin, person.name_initials = name_pinyin(name)
    person.save()
    return person


def test_type_choose_and_save_an_event(page: Any, county: County, liaison_a: User) -> None:
    # A transactional test before this one flushed the behaviour codes the migration loads.
    import_module("weibao.atrisk.migrations.0002_behaviours").forwards(apps, None)
    for seq in range(30):
        pupil(county, "王小明", seq)
    chosen = pupil(county, "李小华", 77)
    log_in(page, "liaison_a", PASSWORD)
    page.goto("/at-risk/events/new/")
    assert "王*明" not in page.content()  # nobody listed before a search

    box = page.locator(".picker-input").first
    box.fill("lxh")  # initials
    result = page.locator(".picker-result").first
    result.wait_for()
    assert "李*华" in result.inner_text()
    assert page.locator(".picker-result").count() == 1
    box.press("ArrowDown")
    page.keyboard.press("Enter")  # Enter on a result chooses it
    chip = page.locator(".picker-chip")
    chip.wait_for()
    assert "李*华" in chip.inner_text()
    assert page.locator(f'input[type=hidden][name=people][value="{chosen.pk}"]').count() == 1

    page.fill("input[name=occurred_on]", "2026-05-04")
    page.locator("input[name=behaviours]").first.check()
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/at-risk/" in page.url
    event = MisconductEvent.objects.get()
    assert list(event.involved.values_list("file__person_id", flat=True)) == [chosen.pk]
