"""The typed request of a signed-in user (healthchecks' hc/accounts/http.py).

Views behind `@login_required` take `request: AuthedRequest`, so `request.user` is a User for
mypy and for the reader, without a cast in every view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from weibao.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
