"""Reads for the public pages."""

from __future__ import annotations

import functools
import hashlib

from django.db import connection
from django.db.models import Model

from goodskin.website.models import Clinic, Service, TeamMember


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


def content_version() -> str:
    """A hash of what the treatments, team and clinics pages show: it changes with any edit, so
    a kept page shell (website.shell) is never older than its rows. One small read."""
    with connection.cursor() as cursor:
        cursor.execute(_content_statement())
        rows = cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()
