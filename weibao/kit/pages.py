"""Shared pieces for list pages: paging, and the partial that htmx asks for."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    """The requested page of the queryset; out-of-range pages give the last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def render_list(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """Render the whole page, or only the table partial when htmx asks for it."""
    if getattr(request, "htmx", False):
        return render(request, partial, context)
    return render(request, template, context)


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A generated file (Excel, Word) as a download: the name encoded for any language, and
    never cached, since these files hold personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
