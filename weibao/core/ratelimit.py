"""Counting rate-limited actions, refusing past the limit, and alerting the auditors.

The limits are settings.RATE_LIMITS (see `weibao.kit.ratelimit`). Each allowed attempt is a row
of `RateHit` (the database, not a per-process cache, so every gunicorn worker counts against the
same window); the rows of one key younger than the window are its count, so the window slides:
an attempt an hour old no longer counts against an hourly limit. A refused attempt is not
counted, so a user waits only until their oldest counted attempt leaves the window.

- `hit(name, subject)`: count one attempt, or raise RateLimited when the window is full.
- `check(name, subject)` then `count(name, subject)`: refuse first, count only some outcomes
  (duplicate hits: every registration is refused once a user's hits fill the window, whether or
  not the number is on record, so the refusal itself tells nothing).
- `alert=...`: the first refusal of a key in a window tells the auditors (in their inbox) and
  records the event; later refusals in the same window do not tell them again.
- `RateLimitMiddleware`: logins (the login page's POSTs) by account and by address, and the 429
  page for a RateLimited that no view caught.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from weibao.accounts.models import Role, User
from weibao.audit.models import AuditEvent
from weibao.audit.services import record
from weibao.core.models import RateHit
from weibao.kit.http import client_ip
from weibao.kit.messages import Message
from weibao.kit.ratelimit import DEFAULTS, Limit, RateLimited, duration_text, limit_of

logger = logging.getLogger(__name__)

# What each limit counts, as the refusal and the auditors' alert name it.
ACTIONS = {
    "login": gettext_lazy("login attempts"),
    "token": gettext_lazy("requests for an API token"),
    "reveal": gettext_lazy("reveals of full ID numbers or phones"),
    "id_lookup": gettext_lazy("searches by ID number"),
    "duplicate": gettext_lazy("registrations of ID numbers already on record"),
}
KEY_MAX = RateHit._meta.get_field("key").max_length or 200


def _key(name: str, subject: str) -> str:
    return f"{name}:{subject}"[:KEY_MAX]


def user_subject(user: User) -> str:
    return f"user:{user.pk}"


def _window_hits(key: str, limit: Limit) -> Any:
    return RateHit.objects.filter(key=key, at__gt=timezone.now() - limit.window)


def _refusal(limit: Limit, key: str) -> RateLimited:
    """The refusal, with the seconds until the oldest counted attempt leaves the window."""
    oldest = _window_hits(key, limit).order_by("at").values_list("at", flat=True).first()
    now = timezone.now()
    retry = (oldest + limit.window - now).total_seconds() if oldest else limit.seconds
    message = _(
        "Too many %(action)s: at most %(times)d in %(window)s. Try again in %(wait)s; if your "
        "work needs more, ask the county coordinator."
    ) % {
        "action": ACTIONS.get(limit.name, limit.name),
        "times": limit.times,
        "window": duration_text(limit.seconds),
        "wait": duration_text(int(retry) + 1),
    }
    return RateLimited(message, limit=limit, retry_after=retry)


def check(name: str, subject: str, *, alert: User | None = None) -> None:
    """Raise RateLimited if the window of (name, subject) is full; count nothing."""
    limit = limit_of(name)
    if not limit.enabled:
        return
    key = _key(name, subject)
    if _window_hits(key, limit).count() >= limit.times:
        refusal = _refusal(limit, key)
        _alert_once(limit, key, alert)
        raise refusal


def count(name: str, subject: str) -> None:
    """Count one attempt of (name, subject), without refusing."""
    if limit_of(name).enabled:
        RateHit.objects.create(key=_key(name, subject))


def hit(name: str, subject: str, *, alert: User | None = None) -> None:
    """Count one attempt, or raise RateLimited (counting nothing) when the window is full.

    `alert`: the user acting, whose first refusal in a window the auditors are told of. Runs in
    the caller's transaction, if any (a savepoint of its own)."""
    limit = limit_of(name)
    if not limit.enabled:
        return
    key = _key(name, subject)
    with transaction.atomic():
        mine = RateHit.objects.create(key=key)
        # Counting the rows up to one's own: two workers at the last place cannot both pass on
        # SQLite (writes queue) and at worst both pass by one on PostgreSQL.
        counted = _window_hits(key, limit).filter(pk__lte=mine.pk).count()
        if counted <= limit.times:
            return
        mine.delete()
    refusal = _refusal(limit, key)
    _alert_once(limit, key, alert)
    raise refusal


def _alert_once(limit: Limit, key: str, actor: User | None) -> None:
    """Tell the auditors, once per key and window, that a user reached a limit; audit it."""
    if actor is None:
        return
    from weibao.core.services import notify

    mark = _key("alert", key)
    try:
        with transaction.atomic():
            if _window_hits(mark, limit).exists():
                return
            RateHit.objects.create(key=mark)
            record(
                AuditEvent.Action.LOCKED_OUT,
                actor=actor,
                target=actor,
                target_repr=actor.username,
                limit=limit.name,
                times=limit.times,
                seconds=limit.seconds,
            )
            auditors = User.objects.filter(role=Role.AUDITOR, is_active=True)
            query = urlencode({"user": actor.username})
            notify(
                recipients=auditors,
                title=Message(
                    gettext_noop("A user reached a limit on probing: %(user)s"),
                    {"user": actor.username},
                ),
                body=Message(
                    gettext_noop(
                        "%(user)s (%(unit)s) made more than %(times)d %(action)s in %(window)s and "
                        "is held back until the window passes. Check in the audit log whether the "
                        "work called for it."
                    ),
                    {
                        "user": actor.full_name or actor.username,
                        "unit": actor.organisation,
                        "times": limit.times,
                        "action": ACTIONS.get(limit.name, limit.name),
                        "window": duration_text(limit.seconds),
                    },
                ),
                link=f"{reverse('audit:list')}?{query}",
                kind="rate_limit",
            )
    except Exception:
        # The refusal stands whether or not the alert could be sent.
        logger.exception("could not alert the auditors about %s", key)


def prune() -> int:
    """Delete the rows older than the longest window; returns how many."""
    names = set(DEFAULTS) | set(getattr(settings, "RATE_LIMITS", {}) or {})
    longest = max((limit_of(name).seconds for name in names), default=0)
    cutoff = timezone.now() - timedelta(seconds=max(longest, 60))
    deleted, _by_model = RateHit.objects.filter(at__lt=cutoff).delete()
    return deleted


# Logins ----------------------------------------------------------------------------------------


def login_refusal(
    request: HttpRequest, username: str, *, name: str = "login"
) -> RateLimited | None:
    """Count a login attempt by address and by account; the refusal when either is past its
    limit (None when it may go on). Besides the lockout, which counts only failures."""
    subjects = [f"ip:{client_ip(request) or '-'}"]
    if username:
        subjects.append(f"user:{username.strip().lower()[:150]}")
    try:
        for subject in subjects:
            hit(name, subject)
    except RateLimited as refused:
        return refused
    return None


def too_many(request: HttpRequest, refused: RateLimited) -> HttpResponse:
    """The answer to a refused request: JSON on the API, else the 429 page; Retry-After."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": refused.messages[0]}, status=429)
    else:
        response = render(request, "429.html", {"message": refused.messages[0]}, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


class RateLimitMiddleware:
    """Limits the login page's POSTs by account and by address, and answers a RateLimited that
    no view caught with the 429 page (or JSON on the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        if request.method != "POST" or match is None or match.view_name != "accounts:login":
            return None
        refused = login_refusal(request, str(request.POST.get("username", "")))
        return too_many(request, refused) if refused is not None else None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return too_many(request, exception)
        return None
