"""Field encryption and the blind index with either algorithm (issue 12 item 6, GB/T 39786):
Fernet or SM4-GCM, HMAC-SHA256 or HMAC-SM3; old keys and the other cipher still decrypt."""

from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken

from weibao.kit import crypto

ID = "361025201503011234"
KEY_A = "key-a-for-tests-0123456789"
KEY_B = "key-b-for-tests-9876543210"


@pytest.fixture(autouse=True)
def _key(settings) -> None:
    settings.FIELD_ENCRYPTION_KEY = KEY_A


@pytest.mark.parametrize("cipher", ["fernet", "sm4"])
def test_both_ciphers_round_trip(settings, cipher: str) -> None:
    settings.FIELD_CIPHER = cipher
    token = crypto.encrypt(ID)
    assert ID not in token and crypto.decrypt(token) == ID
    assert token.startswith("sm4:") is (cipher == "sm4")
    assert crypto.encrypt(ID) != token  # a fresh nonce each time
    assert crypto.is_current(token)
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_sm4_is_the_national_cipher_from_the_library(settings) -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    settings.FIELD_CIPHER = "sm4"
    token = crypto.encrypt(ID)
    key_id, text = token[4:].split(":", 1)
    import base64

    raw = base64.urlsafe_b64decode(text)
    keys = crypto.keys_of(KEY_A)
    plain = (
        Cipher(algorithms.SM4(keys.sm4[key_id]), modes.GCM(raw[:12], raw[-16:]))
        .decryptor()
        .update(raw[12:-16])
    )
    assert plain == ID.encode()


def test_a_tampered_sm4_value_is_refused(settings) -> None:
    settings.FIELD_CIPHER = "sm4"
    token = crypto.encrypt(ID)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(InvalidToken):
        crypto.decrypt(tampered)


def test_old_keys_and_the_other_cipher_still_decrypt(settings) -> None:
    settings.FIELD_CIPHER = "fernet"
    old_fernet = crypto.encrypt(ID)
    settings.FIELD_CIPHER = "sm4"
    old_sm4 = crypto.encrypt(ID)
    settings.FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    for token in (old_fernet, old_sm4):
        assert crypto.decrypt(token) == ID
        assert not crypto.is_current(token)
    assert crypto.is_current(crypto.encrypt(ID))
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    with pytest.raises(InvalidToken):
        crypto.decrypt(old_sm4)


@pytest.mark.parametrize("algorithm", ["hmac-sha256", "hmac-sm3"])
def test_both_blind_indexes_are_stable_and_keyed(settings, algorithm: str) -> None:
    settings.BLIND_INDEX = algorithm
    index = crypto.blind_index(ID)
    assert len(index) == 64 and index == crypto.blind_index(ID)
    assert index != crypto.blind_index("361025201503011242")
    settings.FIELD_ENCRYPTION_KEY = KEY_B
    assert crypto.blind_index(ID) != index


def test_the_two_indexes_differ_and_candidates_hold_every_key_and_algorithm(settings) -> None:
    sha = crypto.blind_index(ID)
    settings.BLIND_INDEX = "hmac-sm3"
    sm3 = crypto.blind_index(ID)
    assert sha != sm3
    settings.FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    candidates = crypto.blind_index_candidates(ID)
    assert {sha, sm3, crypto.blind_index(ID)} <= candidates and len(candidates) == 4


def test_an_unknown_algorithm_is_refused(settings) -> None:
    settings.FIELD_CIPHER = "des"
    with pytest.raises(ValueError, match="FIELD_CIPHER"):
        crypto.encrypt(ID)
