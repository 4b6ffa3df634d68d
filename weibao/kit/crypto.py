"""Field encryption for ID numbers and the like, and the blind index that finds them.

Two choices of algorithm, by settings (GB/T 39786 asks for the national algorithms):

- FIELD_CIPHER: "fernet" (AES-128-CBC with HMAC-SHA256, the default) or "sm4" (SM4-GCM, from the
  `cryptography` package; no cipher is written here).
- BLIND_INDEX: "hmac-sha256" (the default) or "hmac-sm3".

Every key comes from FIELD_ENCRYPTION_KEY: several keys separated by commas, the first encrypts
and indexes, all of them decrypt (key rotation). Each value's text says how it was made (an
SM4 value starts "sm4:" and names its key), so values of both algorithms and of old keys read
side by side while `manage.py rekey` moves them to the current ones. The blind index uses only
the first key and the current algorithm: after a change of either, `rekey` recomputes it
(until then look-ups by ID number find only the rows already moved).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

CIPHERS = ("fernet", "sm4")
BLIND_INDEXES = ("hmac-sha256", "hmac-sm3")
SM4_PREFIX = "sm4:"
SM4_NONCE_BYTES = 12


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


class Keys:
    """The keys derived from one FIELD_ENCRYPTION_KEY value."""

    def __init__(self, secret: str) -> None:
        parts = [part.strip() for part in secret.split(",") if part.strip()]
        if not parts:
            raise ValueError("FIELD_ENCRYPTION_KEY is empty")
        fernets = [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(p.encode()).digest())) for p in parts
        ]
        self.fernet = MultiFernet(fernets)
        self.fernet_first = fernets[0]
        # SM4 keys (128 bits) by their id, the first one encrypting.
        self.sm4: dict[str, bytes] = {}
        for part in parts:
            key = _sm3(b"weibao-sm4:" + part.encode())[:16]
            self.sm4.setdefault(_sm3(b"weibao-sm4-id:" + key).hex()[:8], key)
        self.sm4_current = next(iter(self.sm4))
        # The blind index's keys (HMAC-SHA256, HMAC-SM3) of each part; the first part's index.
        self.index_keys = [
            (
                hashlib.sha256(b"weibao-blind-index:" + part.encode()).digest(),
                _sm3(b"weibao-blind-index-sm3:" + part.encode()),
            )
            for part in parts
        ]
        self.hmac_sha256, self.hmac_sm3 = self.index_keys[0]


@lru_cache(maxsize=4)
def keys_of(secret: str) -> Keys:
    return Keys(secret)


def _keys() -> Keys:
    return keys_of(settings.FIELD_ENCRYPTION_KEY)


def cipher() -> str:
    name = getattr(settings, "FIELD_CIPHER", "fernet")
    if name not in CIPHERS:
        raise ValueError(f"FIELD_CIPHER must be one of {CIPHERS}, not {name!r}")
    return name


def blind_index_algorithm() -> str:
    name = getattr(settings, "BLIND_INDEX", "hmac-sha256")
    if name not in BLIND_INDEXES:
        raise ValueError(f"BLIND_INDEX must be one of {BLIND_INDEXES}, not {name!r}")
    return name


def _sm4_encrypt(keys: Keys, value: bytes) -> str:
    nonce = os.urandom(SM4_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys.sm4[keys.sm4_current]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(value) + encryptor.finalize() + encryptor.tag
    text = base64.urlsafe_b64encode(nonce + body).decode()
    return f"{SM4_PREFIX}{keys.sm4_current}:{text}"


def _sm4_decrypt(keys: Keys, token: str) -> bytes:
    try:
        key_id, text = token[len(SM4_PREFIX) :].split(":", 1)
        raw = base64.urlsafe_b64decode(text.encode())
        key = keys.sm4[key_id]
    except (ValueError, KeyError) as exc:
        raise InvalidToken from exc
    nonce, body, tag = raw[:SM4_NONCE_BYTES], raw[SM4_NONCE_BYTES:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise InvalidToken from exc


def encrypt(value: str) -> str:
    """The value encrypted with the current cipher and the first key ("" stays "")."""
    if not value:
        return ""
    keys = _keys()
    if cipher() == "sm4":
        return _sm4_encrypt(keys, value.encode())
    return keys.fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The value of a token made by either cipher with any of the keys.
    Raises cryptography.fernet.InvalidToken when none of them made it."""
    if not token:
        return ""
    keys = _keys()
    if token.startswith(SM4_PREFIX):
        return _sm4_decrypt(keys, token).decode()
    return keys.fernet.decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Whether a token is made by the current cipher with the first key (rekey leaves it)."""
    if not token:
        return True
    keys = _keys()
    if cipher() == "sm4":
        return token.startswith(f"{SM4_PREFIX}{keys.sm4_current}:")
    if token.startswith(SM4_PREFIX):
        return False
    try:
        keys.fernet_first.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _index(value: str, algorithm: str, sha256_key: bytes, sm3_key: bytes) -> str:
    if algorithm == "hmac-sm3":
        mac = crypto_hmac.HMAC(sm3_key, hashes.SM3())
        mac.update(value.encode())
        return mac.finalize().hex()
    return hmac.new(sha256_key, value.encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """A keyed hash of the value (HMAC-SHA256 or HMAC-SM3, 64 hex digits): the same value always
    gives the same text, so equal ID numbers are found without decrypting."""
    if not value:
        return ""
    keys = _keys()
    return _index(value, blind_index_algorithm(), keys.hmac_sha256, keys.hmac_sm3)


def blind_index_candidates(value: str) -> set[str]:
    """Every index the value may carry: each key's, by either algorithm (for `rekey`, to tell
    which value an index made before a rotation stands for)."""
    if not value:
        return {""}
    return {
        _index(value, algorithm, sha256_key, sm3_key)
        for sha256_key, sm3_key in _keys().index_keys
        for algorithm in BLIND_INDEXES
    }


def fingerprint() -> str:
    """Names the current cipher, index and first key (not the key): what `rekey` moves to."""
    keys = _keys()
    first = _sm3(keys.hmac_sha256 + keys.sm4[keys.sm4_current]).hex()[:12]
    return f"{cipher()}/{blind_index_algorithm()}/{first}"
