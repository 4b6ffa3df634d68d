"""Limits on how often one user or one address may do a thing, over a sliding window: the
limits (settings.RATE_LIMITS) and the refusal. The counting is `weibao.core.ratelimit`'s (a
table in the database, so every gunicorn worker counts against the same window).

A limit is (how many, in how many seconds); 0 times switches it off::

    RATE_LIMITS = {"reveal": (20, 3600), "login": (6, 60)}

`RateLimited` is a ValidationError, so a form that shows a service's errors shows it with what
the user typed kept; the API answers it with 429 and Retry-After (`weibao.api.errors`), and a
page that does not catch it gets the 429 page (`weibao.core.ratelimit.RateLimitMiddleware`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.timesince import timeuntil

# (times, seconds). Logins and tokens as Primero limits logins: 6 a minute, by account and by
# address, besides the lockout. Reveals, look-ups by ID number and duplicate hits per user.
DEFAULTS: dict[str, tuple[int, int]] = {
    "login": (6, 60),
    "token": (6, 60),
    "reveal": (20, 3600),
    "id_lookup": (30, 3600),
    "duplicate": (10, 3600),
}


@dataclass(frozen=True)
class Limit:
    name: str
    times: int
    seconds: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    @property
    def enabled(self) -> bool:
        return self.times > 0 and self.seconds > 0


def limit_of(name: str) -> Limit:
    """The limit called `name`: settings.RATE_LIMITS[name], else the default above."""
    configured = getattr(settings, "RATE_LIMITS", {}) or {}
    times, seconds = configured.get(name, DEFAULTS.get(name, (0, 0)))
    return Limit(name, int(times), int(seconds))


def duration_text(seconds: int) -> str:
    """A length of time in the user's language, to the largest unit ("1 hour", "12 minutes"); a
    minute at least, the smallest unit the words have."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=max(60, seconds)), now, depth=1)


class RateLimited(ValidationError):
    """Refused: the limit is reached. `retry_after` is the seconds until one more is allowed."""

    def __init__(self, message: str, *, limit: Limit, retry_after: float) -> None:
        super().__init__(message, code="rate_limited")
        self.limit = limit
        self.retry_after = max(1, math.ceil(retry_after))
