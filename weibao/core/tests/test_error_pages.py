"""Error pages in the platform's layout and language, with DEBUG on (the demo) or off; the 500
page without a request context or database; a form too big gets a page, not a bare 400; the
favicon is served."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import translation

from weibao import urls as project_urls
from weibao.core import errors


def _not_found(request: HttpRequest) -> HttpResponse:
    raise Http404("no such record")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("odd")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("t/404/", _not_found),
    path("t/403/", _forbidden),
    path("t/400/", _suspicious),
    path("t/500/", _broken),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

pytestmark = [pytest.mark.urls(__name__)]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return request.param


def _quiet_client() -> Client:
    return Client(raise_request_exception=False)


def test_not_found_is_the_platform_page(debug: bool, client_for, liaison_a) -> None:
    client = client_for(liaison_a)
    for url in ("/t/404/", "/no/such/page/"):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 404, url
        assert "Page not found" in body
        assert 'class="topbar"' in body and 'class="menu"' in body  # the layout, with the menu
        assert "Using the URLconf" not in body and "Django" not in body


def test_not_found_is_in_chinese_by_default(debug: bool, settings: Any, client) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        body = client.get("/no/such/page/").content.decode()
    assert '<html lang="zh-hans">' in body and "未保" in body


def test_forbidden_is_the_platform_page(debug: bool, english: None, client_for, liaison_a) -> None:
    response = client_for(liaison_a).get("/t/403/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Not allowed" in body and 'class="topbar"' in body
    assert "403 Forbidden" not in body


def test_bad_request_is_the_platform_page(debug: bool, english: None, client) -> None:
    response = _quiet_client().get("/t/400/")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_server_error_is_the_platform_page(debug: bool, english: None) -> None:
    response = _quiet_client().get("/t/500/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Server error" in body and 'class="topbar"' in body
    assert "Traceback" not in body and "a bug" not in body


@override_settings(DEBUG=True, DEBUG_ERROR_PAGES=True)
def test_developers_may_ask_for_djangos_debug_pages(client) -> None:
    assert "Using the URLconf" in client.get("/no/such/page/").content.decode()


def test_500_page_renders_without_request_or_database(english: None, db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = errors.server_error(None)
    assert response.status_code == 500
    assert "Server error" in response.content.decode()
    assert len(queries) == 0


def test_api_errors_stay_json(debug: bool, client_for, liaison_a) -> None:
    response = client_for(liaison_a).get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_csrf_failure_is_the_platform_page(english: None, liaison_a) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(liaison_a)
    response = client.post("/notices/new/", {"title": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "The form has expired" in body and 'class="topbar"' in body


@pytest.mark.parametrize("debug_on", [False, True])
def test_a_form_too_big_gets_a_page(
    settings: Any, english: None, client_for, coordinator, debug_on: bool
) -> None:
    settings.DEBUG = debug_on
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client_for(coordinator).post(
        "/notices/new/", {"title": "通知", "body": "字" * 400_000}
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "Too much text at once" in body and "1 MB" in body and 'class="topbar"' in body


def test_the_largest_allowed_notice_body_posts(settings: Any, client_for, coordinator) -> None:
    """20,000 Chinese characters (the notice body's maximum) are far below the limit."""
    response = client_for(coordinator).post(
        "/notices/new/", {"title": "通知", "body": "字" * 20_000}
    )
    assert response.status_code != 413


def test_favicon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("weibao/favicon.svg")
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()
