"""Pages are in Simplified Chinese unless the user chose English with the language switch
(which sets the language cookie). A browser's own language (Accept-Language) is not asked:
county offices run browsers installed in English as often as in Chinese, and a civil servant
should not meet an English platform because of how their computer was set up. The API is a
machine interface and follows Accept-Language as HTTP says."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class ChineseFirstMiddleware:
    """Before LocaleMiddleware: forget the browser's Accept-Language for pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
