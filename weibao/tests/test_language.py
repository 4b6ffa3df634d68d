"""Pages are Chinese whatever the browser's language, English when the user chooses it; the
API follows Accept-Language."""

from __future__ import annotations

from django.conf import settings


def test_an_english_browser_gets_chinese_pages(client_for, liaison_a) -> None:
    page = client_for(liaison_a).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in page.content.decode()


def test_the_language_switch_gives_english(client_for, liaison_a) -> None:
    client = client_for(liaison_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME in client.cookies
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en">' in page.content.decode()


def test_the_api_follows_accept_language(client_for, liaison_a) -> None:
    client = client_for(liaison_a)
    english = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code == 404
    assert english.headers.get("Content-Language") == "en"
    assert chinese.headers.get("Content-Language") == "zh-hans"
