"""Plain statements that read every column of a model's table, for keys made of rows.

A kept page or policy text is keyed by a hash of the rows it was drawn from (ADR 0046), read on
every request: a plain statement, built once, skips the ORM's cost of building the query.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Model


@functools.cache
def every_column(model: type[Model], where: str = "") -> str:
    """`SELECT` every concrete column of `model`'s table, in primary-key order; `where` is a
    fixed clause of ours (its values passed as parameters)."""
    options = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in options.concrete_fields)
    return (
        f"SELECT {columns} FROM {quote(options.db_table)} {where} "  # noqa: S608  (names from our models)
        f"ORDER BY {quote(str(options.pk.column))}"
    )
