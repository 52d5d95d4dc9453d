"""Reads for the public pages."""

from __future__ import annotations

import functools
import hashlib

from django.db import connection
from django.db.models import Model

from goodskin.website.models import Clinic, ContentVersion, Service, TeamMember


@functools.cache
def _content_statement() -> str:
    """Every column of every table the public pages draw from, as text, in one statement."""
    selects = []
    through: type[Model] = TeamMember.clinics.through
    quote = connection.ops.quote_name
    models: tuple[type[Model], ...] = (Clinic, Service, TeamMember, through)
    for number, model in enumerate(models):
        options = model._meta
        columns = " || '|' || ".join(
            f"COALESCE(CAST({quote(str(field.column))} AS TEXT), '-')"
            for field in options.concrete_fields
        )
        selects.append(
            f"SELECT {number}, {quote(str(options.pk.column))}, {columns} "  # noqa: S608  (names from our models)
            f"FROM {quote(options.db_table)}"
        )
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2"


_VERSION = f"SELECT version, changed_at FROM {ContentVersion._meta.db_table} WHERE id = 1"  # noqa: S608  (ours)


def content_version() -> str:
    """What the treatments, team and clinics pages show, as a key that changes with any edit, so
    a kept page shell (website.shell) is never older than its rows. Database triggers move one
    row on every change (migration 0004): one tiny read. Its time as well as its count are in
    the key, so a restored backup's count never names a later page. Where the row is missing
    (a test that emptied the tables), a hash of every row's columns does the same, more slowly."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION)
        row = cursor.fetchone()
        if row is not None:
            return f"{row[0]}:{row[1]}"
        cursor.execute(_content_statement())
        rows = cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()
