"""Insert many rows of a model with one prepared statement, for files of tens of thousands of rows.

The same rows `bulk_create` writes (every concrete field, defaults filled in), without building a
model instance per row or preparing each row's every field through the ORM, which costs more than
everything else in a roster import: the fields that vary are prepared per row, the others once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (values in the order of `columns`, by field name); returns how many.

    Fields not named take their default (auto_now and auto_now_add fields: now), as
    `bulk_create` would; the primary key is left to the database.
    """
    given: list[models.Field[Any, Any]] = []
    for name in columns:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field), name  # a column, not a reverse relation
        given.append(field)
    constants: list[tuple[models.Field[Any, Any], Any]] = []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        constants.append((field, field.get_db_prep_save(value, connection)))
    fixed = [value for _field, value in constants]
    quote = connection.ops.quote_name
    names = [quote(str(field.column)) for field in (*given, *(f for f, _v in constants))]
    prepare = [field.get_db_prep_save for field in given]
    params = [
        [prep(value, connection) for prep, value in zip(prepare, row, strict=True)] + fixed
        for row in rows
    ]
    if not params:
        return 0
    # Identifiers from the model's own metadata, quoted; the values go as parameters. One
    # prepared statement over all the rows: SQLite loops in C, psycopg pipelines the rows.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(names), ", ".join(["%s"] * len(names))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)
