"""API errors: validation failures keep DRF's field map; domain errors become 400s; a number too
large for the database (a fuzzer's filter ?topics=99999999999999999999) is a 400, not a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from weibao.kit.ratelimit import RateLimited


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RateLimited):
        # Past a rate limit (weibao.kit.ratelimit): 429, and when to try again.
        return Response(
            {"detail": exc.messages[0]}, status=429, headers={"Retry-After": str(exc.retry_after)}
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, OverflowError):
        exc = ValidationError({"detail": [_("A number in the request is too large.")]})
    return drf_exception_handler(exc, context)
