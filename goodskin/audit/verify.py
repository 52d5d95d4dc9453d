"""Walking the chain: the first entry whose hash or position does not fit, if any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from goodskin.audit.chain import DIGEST_FIELDS, GENESIS_HASH, entry_digest
from goodskin.audit.models import AuditEntry, ChainHead


@dataclass(frozen=True)
class Break:
    sequence: int
    reason: str


def verify_chain(*, progress: Callable[[int], None] | None = None) -> tuple[int, Break | None]:
    """Return (entries checked, first break or None). Reads in chunks; holds no locks."""
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return checked, Break(
                expected_sequence,
                f"entry #{expected_sequence} is missing (next present is #{entry.sequence})",
            )
        if entry.previous_hash != previous_hash:
            return checked, Break(entry.sequence, "its link to the previous entry does not match")
        recomputed = entry_digest(**{name: getattr(entry, name) for name in DIGEST_FIELDS})
        if recomputed != entry.entry_hash:
            return checked, Break(entry.sequence, "its contents do not match its hash")
        previous_hash = entry.entry_hash
        expected_sequence += 1
        checked += 1
        if progress and checked % 10000 == 0:
            progress(checked)
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != checked:
        return checked, Break(
            checked + 1,
            f"entries after #{checked} are missing (the chain head says #{head.last_sequence})",
        )
    if head is not None and checked and head.last_hash != previous_hash:
        return checked, Break(checked, "the chain head does not match the last entry")
    return checked, None
