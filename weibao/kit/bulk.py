"""Insert many rows of a model at once, for files of tens of thousands of rows.

The same rows `bulk_create` writes (every concrete field, defaults filled in), without building a
model instance per row or preparing each value through the ORM, which costs more than everything
else in a roster import: values of the plain column types go to the driver as they are, the
other fields are prepared per value, and the fields not given are prepared once. PostgreSQL
receives the rows with COPY; SQLite with one prepared statement, looped in C.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Fields whose Python values (str, int, None, datetime.date) both drivers take as they are:
# psycopg adapts them itself, and Django registers SQLite's date adapter (ISO text, what the
# ORM writes too). Date-times are not among them: the ORM writes them to SQLite in UTC.
PLAIN_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "DateField",
        "ForeignKey",
    }
)


def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of `field` is made ready for the driver; None when it goes as it is."""
    kind = field.get_internal_type()
    if kind == "ForeignKey":
        kind = field.target_field.get_internal_type()  # type: ignore[attr-defined]
        kind = {"AutoField": "IntegerField", "BigAutoField": "BigIntegerField"}.get(kind, kind)
    if kind in PLAIN_TYPES:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert `rows` (values in the order of `columns`, by field name, each of the field's
    Python type); returns how many.

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
    fixed = tuple(value for _field, value in constants)
    preparers = [(i, prep) for i, f in enumerate(given) if (prep := _preparer(f)) is not None]

    def ready(row: Sequence[Any]) -> tuple[Any, ...]:
        if preparers:
            row = list(row)
            for i, prep in preparers:
                row[i] = prep(row[i])
        return (*row, *fixed)

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(f.column)) for f in (*given, *(f for f, _v in constants)))
    # Identifiers from the model's own metadata, quoted; the values go as data.
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(ready(row))
                    count += 1
            return count
        params = [ready(row) for row in rows]
        if params:
            marks = ", ".join(["%s"] * (len(given) + len(fixed)))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", params)  # noqa: S608
        return len(params)
