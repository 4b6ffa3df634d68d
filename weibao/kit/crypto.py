"""Field encryption for ID numbers and the like: Fernet for the value, HMAC for look-up.

Both keys come from FIELD_ENCRYPTION_KEY: the HMAC key is derived from it, so one secret in the
environment protects both, and equal values give equal hashes for duplicate detection.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[MultiFernet, bytes]:
    # Several keys separated by commas: the first encrypts, all decrypt (key rotation).
    parts = [part.strip() for part in secret.split(",") if part.strip()]
    fernets = [Fernet(base64.urlsafe_b64encode(hashlib.sha256(p.encode()).digest())) for p in parts]
    hmac_key = hashlib.sha256(b"weibao-blind-index:" + parts[0].encode()).digest()
    return MultiFernet(fernets), hmac_key


def encrypt(value: str) -> str:
    if not value:
        return ""
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.decrypt(token.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash of the value: the same value always gives the same text."""
    if not value:
        return ""
    _, key = _keys(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
