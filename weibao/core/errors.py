"""The platform's error pages: bad request, forbidden, not found, server error, a refused form
(CSRF) and a request too big, in the layout and the user's language, whether DEBUG is on or off.

With DEBUG off Django calls the handlers named in `weibao/urls.py`. With DEBUG on (the demo)
Django would serve its own debug pages instead: `ErrorPagesMiddleware` serves these instead,
unless `DEBUG_ERROR_PAGES` asks for Django's (a developer's tracebacks). The 500 page renders
from a plain template: no request context, no database, nothing that could fail again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

logger = logging.getLogger("django.request")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to open this page."),
        404: _("The page was not found."),
        413: _("What you sent is too large to be received."),
        500: _("Something went wrong on the server."),
    }


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": _messages()[status]}, status=status)
    else:
        response = render(request, template, context, status=status)
    response.weibao_error_page = True  # type: ignore[attr-defined]
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_big(request)
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """The 500 page: a plain template rendered without the request (no context processors, no
    queries: the database may be what failed)."""
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"detail": _messages()[500]}, status=500)
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: usually a page left open past the session's end."""
    return _page(request, "403_csrf.html", 403)


def too_big(request: HttpRequest) -> HttpResponse:
    """A form larger than DATA_UPLOAD_MAX_MEMORY_SIZE: nothing of it was read."""
    request._mark_post_parse_error()  # type: ignore[attr-defined]
    limit_mb = max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))
    return _page(request, "413.html", 413, limit_mb=limit_mb)


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for by themselves: the platform's icon."""
    return redirect(static("weibao/favicon.svg"))


class ErrorPagesMiddleware:
    """Serves the platform's error pages where Django would serve its own.

    Placed before CsrfViewMiddleware: the CSRF check reads the form, and a form too big would
    otherwise fail there, before any view, with a bare 400 (or the debug page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    @staticmethod
    def _debug_pages_replaced() -> bool:
        return bool(settings.DEBUG) and not getattr(settings, "DEBUG_ERROR_PAGES", False)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # No view was found for the address: with DEBUG on, Django answered with its URL list.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not getattr(response, "weibao_error_page", False)
            and self._debug_pages_replaced()
        ):
            return page_not_found(request)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method == "POST" and not getattr(view, "csrf_exempt", False):
            try:
                request.POST  # noqa: B018 - read as the CSRF check would, to catch the size
            except RequestDataTooBig:
                return too_big(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self._debug_pages_replaced():
            return None  # DEBUG off: Django calls the handlers in urls.py
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, (SuspiciousOperation, BadRequest)):
            return bad_request(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        return server_error(request)
