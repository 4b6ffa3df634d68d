"""Files encrypted at rest, written and read as streams: AES-256-GCM in chunks (for backups).

A sealed file is a header and a run of records; nothing is ever held whole in memory:

    header   b"WBSEAL1\\n" | salt (16 bytes) | nonce prefix (7 bytes)
    record   last (1 byte: 0 or 1) | length (4 bytes, big-endian) | ciphertext and tag

The file key is HKDF-SHA256 of the secret with the salt, so each file has its own key. Record n
is sealed under the nonce prefix | n (4 bytes) | last, with the header as associated data: a
record that is changed, moved, dropped, or taken from another file fails, and so does a file
cut short (its last record, marked last, is missing) or with anything after its last record.

The secret is a setting's text; several, comma-separated, open files sealed with any of them
(the first seals): key rotation.
"""

from __future__ import annotations

import hashlib
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"WBSEAL1\n"
CHUNK = 1024 * 1024
HEADER = len(MAGIC) + 16 + 7
TAG = 16


class SealedError(Exception):
    """The file is not a sealed file, was sealed with another key, or was altered or cut."""


def _secrets(secret: str) -> list[bytes]:
    parts = [part.strip() for part in secret.split(",") if part.strip()]
    if not parts:
        raise SealedError("no key")
    return [hashlib.sha256(b"weibao-sealed:" + part.encode()).digest() for part in parts]


def _file_key(master: bytes, salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"weibao-sealed-file")
    return AESGCM(key.derive(master))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class SealedWriter:
    """A write-only stream that seals what is written to `out`; `close()` seals the last record
    (it does not close `out`)."""

    def __init__(self, out: BinaryIO, secret: str, chunk: int = CHUNK) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        self._header = MAGIC + salt + prefix
        self._aead = _file_key(_secrets(secret)[0], salt)
        self._prefix = prefix
        self._out = out
        self._chunk = chunk
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        out.write(self._header)

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed sealed file")
        self._buffer += data
        # Keep at least one byte back: the last record is sealed as last at close().
        while len(self._buffer) > self._chunk:
            self._record(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def _record(self, plain: bytes, *, last: bool) -> None:
        if self._counter >= 2**32:
            raise SealedError("file too long")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, self._header)
        self._out.write((b"\x01" if last else b"\x00") + struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self._closed:
            self._record(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


class SealedReader:
    """A read-only stream of what was sealed into `source` (raises SealedError on any change)."""

    def __init__(self, source: BinaryIO, secret: str, chunk: int = CHUNK) -> None:
        header = source.read(HEADER)
        if len(header) != HEADER or not header.startswith(MAGIC):
            raise SealedError("not a sealed file")
        self._header = header
        self._prefix = header[len(MAGIC) + 16 :]
        self._source = source
        self._limit = chunk + TAG
        self._buffer = b""
        self._counter = 0
        self._done = False
        salt = header[len(MAGIC) : len(MAGIC) + 16]
        # The first record tells which of the keys sealed the file.
        flag, sealed = self._next()
        for master in _secrets(secret):
            aead = _file_key(master, salt)
            try:
                self._buffer = self._open(aead, flag, sealed)
            except SealedError:
                continue
            self._aead = aead
            break
        else:
            raise SealedError("sealed with another key, or altered")

    def _next(self) -> tuple[bool, bytes]:
        head = self._source.read(5)
        if len(head) != 5:
            raise SealedError("cut short: the last record is missing")
        flag, length = head[0], struct.unpack(">I", head[1:])[0]
        if flag not in (0, 1) or length > self._limit or length < TAG:
            raise SealedError("altered: a record's header is wrong")
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise SealedError("cut short: a record is incomplete")
        return flag == 1, sealed

    def _open(self, aead: AESGCM, last: bool, sealed: bytes) -> bytes:
        try:
            plain = aead.decrypt(_nonce(self._prefix, self._counter, last), sealed, self._header)
        except InvalidTag as error:
            raise SealedError("sealed with another key, or altered") from error
        self._counter += 1
        if last:
            self._done = True
            if self._source.read(1):
                raise SealedError("altered: data after the last record")
        return plain

    def read(self, size: int = -1) -> bytes:
        parts = [self._buffer]
        have = len(self._buffer)
        while (size < 0 or have < size) and not self._done:
            last, sealed = self._next()
            plain = self._open(self._aead, last, sealed)
            parts.append(plain)
            have += len(plain)
        data = b"".join(parts)
        if size < 0:
            self._buffer = b""
            return data
        self._buffer = data[size:]
        return data[:size]
