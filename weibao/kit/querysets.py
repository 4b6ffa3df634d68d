"""Reading a large queryset in chunks without holding a cursor open between them.

`QuerySet.iterator()` keeps one SELECT running until the last row. On SQLite (WAL) that statement
pins a read snapshot: when the same connection then writes (a job's progress) after anyone else
has committed (a user's session, any save in the county), SQLite cannot move the snapshot forward
and answers "database is locked" at once, without waiting. A long job that reads and writes must
finish each read before it writes: `in_chunks` fetches the primary keys first, then each chunk
by key, in the queryset's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def in_chunks(queryset: QuerySet[M], size: int = 500) -> Iterator[M]:
    """Every object of the queryset, in its order; each chunk is one query, read to the end."""
    keys = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        by_key = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=chunk)}
        yield from (by_key[key] for key in chunk if key in by_key)


def in_key_chunks(
    queryset: QuerySet[Any],
    *,
    key: str = "pk",
    after: Any = None,
    size: int = 1000,
    value_of: Callable[[Any], Any] | None = None,
) -> Iterator[Any]:
    """Every row of the queryset in the order of `key` (unique in it), after `after`: one
    bounded query per chunk (keyset paging), so memory holds one chunk however many rows there
    are (`in_chunks` holds every key first). For `values_list()` rows give `value_of`, which
    reads the key from a row (default: the attribute of a model object)."""
    read = value_of or (lambda row: getattr(row, key))
    ordered = queryset.order_by(key)
    while True:
        page = ordered.filter(**{f"{key}__gt": after}) if after is not None else ordered
        rows = list(page[:size])
        full, after = len(rows) == size, read(rows[-1]) if rows else after
        yield from rows
        del rows  # Before the next chunk is read: one chunk in memory, not two.
        if not full:
            return
