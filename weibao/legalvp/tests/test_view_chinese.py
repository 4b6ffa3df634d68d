"""The pages render in Simplified Chinese too (the default language)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation


@pytest.fixture
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


def test_pages_render_in_chinese(chinese, client_for, bureau, appointment) -> None:
    client = client_for(bureau)
    for url in (
        reverse("legalvp:list"),
        reverse("legalvp:detail", args=[appointment.pk]),
        reverse("legalvp:coverage"),
        reverse("legalvp:summary"),
        reverse("legalvp:create"),
        reverse("legalvp:letter_print", args=[appointment.pk]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        assert "王正义" in response.content.decode() or url.endswith(
            ("coverage/", "new/", "summary/")
        )
