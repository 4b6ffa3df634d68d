"""create_once: the first record holding a key answers, wherever the race is lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from weibao.kit.idempotency import create_once


class Store:
    """A key's holder, appearing when "the other push" commits."""

    def __init__(self) -> None:
        self.holder: str | None = None
        self.writes = 0

    def first(self) -> str | None:
        return self.holder

    def write(self) -> None:
        self.writes += 1


def test_no_holder_creates() -> None:
    store = Store()
    assert create_once("new", first=store.first, clean=lambda: None, write=store.write) == (
        "new",
        True,
    )
    assert store.writes == 1


def test_a_holder_before_validation_answers() -> None:
    store = Store()
    store.holder = "first"
    assert create_once("new", first=store.first, clean=lambda: None, write=store.write) == (
        "first",
        False,
    )
    assert store.writes == 0


def test_validation_tripping_on_the_key_answers_with_the_holder() -> None:
    store = Store()

    def clean() -> None:  # the other push committed between the look-up and full_clean
        store.holder = "first"
        raise ValidationError("约束 … 是无效的")

    assert create_once("new", first=store.first, clean=clean, write=store.write) == (
        "first",
        False,
    )
    assert store.writes == 0


def test_the_insert_tripping_on_the_key_answers_with_the_holder() -> None:
    store = Store()

    def write() -> None:
        store.holder = "first"
        raise IntegrityError("duplicate key")

    assert create_once("new", first=store.first, clean=lambda: None, write=write) == (
        "first",
        False,
    )


def test_other_errors_stand() -> None:
    store = Store()
    with pytest.raises(ValidationError):
        create_once("new", first=store.first, clean=_bad, write=store.write)
    with pytest.raises(IntegrityError):
        create_once("new", first=store.first, clean=lambda: None, write=_broken)


def _bad() -> None:
    raise ValidationError("bad field")


def _broken() -> None:
    raise IntegrityError("another constraint")
