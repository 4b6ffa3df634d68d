"""Sealed files: streams in, streams out, and any change, cut, reordering or wrong key fails."""

from __future__ import annotations

import io
import os
import struct

import pytest

from weibao.kit.sealed import HEADER, TAG, SealedError, SealedReader, SealedWriter

KEY = "a-backup-key-for-the-test-0123456789abcdef"


def seal(data: bytes, key: str = KEY, chunk: int = 1000) -> bytes:
    out = io.BytesIO()
    with SealedWriter(out, key, chunk=chunk) as writer:
        for start in range(0, len(data), 333):  # Written in pieces that cut across chunks.
            writer.write(data[start : start + 333])
    return out.getvalue()


def unseal(sealed: bytes, key: str = KEY, chunk: int = 1000, size: int = 700) -> bytes:
    reader = SealedReader(io.BytesIO(sealed), key, chunk=chunk)
    parts = []
    while part := reader.read(size):
        parts.append(part)
    return b"".join(parts)


def records(sealed: bytes) -> list[bytes]:
    found, at = [], HEADER
    while at < len(sealed):
        length = struct.unpack(">I", sealed[at + 1 : at + 5])[0]
        found.append(sealed[at : at + 5 + length])
        at += 5 + length
    return found


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000])
def test_round_trip(size: int) -> None:
    data = os.urandom(size)
    sealed = seal(data)
    assert unseal(sealed) == data
    assert unseal(sealed, size=-1) == data
    assert data[:64] not in sealed or size < 32


def test_each_file_has_its_own_key() -> None:
    data = b"the same content" * 100
    assert seal(data) != seal(data)


def test_wrong_key_fails() -> None:
    with pytest.raises(SealedError, match="another key"):
        unseal(seal(b"x" * 3000), key="another-key-0123456789")


def test_rotated_keys_open_old_files() -> None:
    old = seal(b"x" * 3000, key="old-key-0123456789")
    assert unseal(old, key="new-key-0123456789,old-key-0123456789") == b"x" * 3000


def test_a_changed_byte_fails() -> None:
    sealed = bytearray(seal(os.urandom(3000)))
    sealed[HEADER + 5 + 1500] ^= 1
    with pytest.raises(SealedError):
        unseal(bytes(sealed))


def test_a_changed_header_fails() -> None:
    sealed = bytearray(seal(os.urandom(3000)))
    sealed[10] ^= 1  # the salt
    with pytest.raises(SealedError):
        unseal(bytes(sealed))


def test_a_file_cut_at_a_record_boundary_fails() -> None:
    sealed = seal(os.urandom(3500))
    kept = records(sealed)[:-1]
    with pytest.raises(SealedError, match="cut short"):
        unseal(sealed[:HEADER] + b"".join(kept))


def test_a_file_cut_inside_a_record_fails() -> None:
    with pytest.raises(SealedError, match="cut short"):
        unseal(seal(os.urandom(3500))[:-10])


def test_reordered_records_fail() -> None:
    sealed = seal(os.urandom(3500))
    first, second, *rest = records(sealed)
    with pytest.raises(SealedError):
        unseal(sealed[:HEADER] + second + first + b"".join(rest))


def test_a_record_flagged_last_early_fails() -> None:
    sealed = seal(os.urandom(3500))
    first = records(sealed)[0]
    with pytest.raises(SealedError):
        unseal(sealed[:HEADER] + b"\x01" + first[1:])


def test_data_after_the_last_record_fails() -> None:
    with pytest.raises(SealedError, match="after the last"):
        unseal(seal(os.urandom(1500)) + b"\x00")


def test_not_a_sealed_file() -> None:
    with pytest.raises(SealedError, match="not a sealed file"):
        SealedReader(io.BytesIO(b"SQLite format 3\x00" + b"\x00" * 64), KEY)


def test_records_are_bounded() -> None:
    sealed = seal(os.urandom(5000))
    assert max(len(r) for r in records(sealed)) <= 5 + 1000 + TAG
