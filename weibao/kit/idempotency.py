"""Creating a record once per idempotency key, even when two pushes of one key race.

A client that retries (or two clients that push the same key at once) must get the first record
back, never a second one and never an error. The key's unique constraint is the arbiter; this
answers with the winner wherever the loser learns of it: before validating, when validation
trips on the constraint (`full_clean` checks it), or when the save's INSERT does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError

M = TypeVar("M")


def create_once(
    obj: M,
    *,
    first: Callable[[], M | None],
    clean: Callable[[], None],
    write: Callable[[], None],
) -> tuple[M, bool]:
    """(record, created). `first()` finds the record holding the key (None when there is no key
    or nobody holds it yet); `clean()` validates `obj`; `write()` saves it with everything that
    goes with it, in its own transaction."""
    found = first()
    if found is not None:
        return found, False
    try:
        clean()
    except ValidationError:
        found = first()
        if found is not None:
            return found, False
        raise
    try:
        write()
    except IntegrityError:
        found = first()
        if found is not None:
            return found, False
        raise
    return obj, True
