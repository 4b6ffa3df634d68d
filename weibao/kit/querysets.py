"""Reading a large queryset in chunks without holding a cursor open between them.

`QuerySet.iterator()` keeps one SELECT running until the last row. On SQLite (WAL) that statement
pins a read snapshot: when the same connection then writes (a job's progress) after anyone else
has committed (a user's session, any save in the county), SQLite cannot move the snapshot forward
and answers "database is locked" at once, without waiting. A long job that reads and writes must
finish each read before it writes: `in_chunks` fetches the primary keys first, then each chunk
by key, in the queryset's order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def in_chunks(queryset: QuerySet[M], size: int = 500) -> Iterator[M]:
    """Every object of the queryset, in its order; each chunk is one query, read to the end."""
    keys = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        by_key = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=chunk)}
        yield from (by_key[key] for key in chunk if key in by_key)
