"""Reads for the public pages."""

from __future__ import annotations

import hashlib

from django.db import connection

from goodskin.core.context import once_per_request
from goodskin.core.rows import every_column
from goodskin.website.models import Clinic, ContentVersion, Service, TeamMember

CONTENT, NOTICES = 1, 2  # the version rows: the public content; policy versions and incidents
_VERSIONS = (
    f"SELECT id, version, changed_at FROM {ContentVersion._meta.db_table} "  # noqa: S608  (ours)
    f"WHERE id IN ({CONTENT}, {NOTICES})"
)


def _versions() -> dict[int, str]:
    """Both version rows in one read, once per request (every public page needs both)."""

    def read() -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(_VERSIONS)
            # No spaces: the versions go into cache keys.
            return {row[0]: f"{row[1]}@{row[2]}".replace(" ", "T") for row in cursor.fetchall()}

    return once_per_request("website.versions", read)


def content_version() -> str:
    """What the treatments, team and clinics pages show, as a key that changes with any edit, so
    a kept page shell (website.shell) is never older than its rows. Database triggers move one
    row on every change (migration 0004): one tiny read. Its time as well as its count are in
    the key, so a restored backup's count never names a later page. Where the row is missing
    (a test that emptied the tables), a hash of every row's columns does the same, more slowly."""
    version = _versions().get(CONTENT)
    if version is not None:
        return version
    rows = []
    with connection.cursor() as cursor:
        for model in (Clinic, Service, TeamMember, TeamMember.clinics.through):
            cursor.execute(every_column(model))
            rows.append(cursor.fetchall())
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def notices_version() -> str | None:
    """A key that changes with any change to policy versions or incidents (triggers of the
    policies and incidents apps move it), for the questions every page asks of them — is a
    material change being announced, is a breach notice up — to be answered from what was read
    under the same key. None where the row is missing: then they must ask their tables."""
    return _versions().get(NOTICES)
