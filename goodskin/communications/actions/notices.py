"""Notices posted to a person's account, and marking them read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.models import (
    Notice,
)
from goodskin.vault.models import Person


@transaction.atomic
def post_notice(
    *,
    person: Person,
    kind: str,
    title: str,
    body: str,
    link: str = "",
    dedupe_key: str | None = None,
) -> Notice | None:
    """Put a notice in the person's notification centre. None if `dedupe_key` was used before."""
    if dedupe_key is not None and Notice.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    notice = Notice.objects.create(
        person=person,
        kind=kind,
        title=title,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        created_at=timezone.now(),
    )
    record(Event.NOTICE_POSTED, subject=person, target=notice, data={"kind": kind})
    return notice


@transaction.atomic
def mark_notices_read(*, person: Person, notices: Iterable[Notice]) -> int:
    """Read receipts: the first reading time is kept; reading again changes nothing."""
    now = timezone.now()
    marked = 0
    for notice in notices:
        if notice.person_id != person.pk or notice.read_at is not None:
            continue
        notice.read_at = now
        notice.save(update_fields=["read_at"])
        record(Event.NOTICE_READ, subject=person, target=notice, data={"kind": notice.kind})
        marked += 1
    return marked
