"""People pages: written by the people work; stubs until then."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


person_list = person_create = person_detail = person_edit = person_reveal = _todo
