"""The hash chain, as pure functions: what an entry's hash covers and how it is computed.

Each entry's hash covers its own contents and the previous entry's hash, so editing, deleting or
reordering any past entry changes every hash after it; `audit_verify` recomputes the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
# What an entry's hash covers: every stored field but the hash itself.
DIGEST_FIELDS = (
    "sequence",
    "occurred_at",
    "event",
    "actor_kind",
    "actor_user_id",
    "actor_label",
    "subject_type",
    "subject_id",
    "target_type",
    "target_id",
    "request_id",
    "data",
    "previous_hash",
)


def entry_digest(
    *,
    sequence: int,
    occurred_at: datetime,
    event: str,
    actor_kind: str,
    actor_user_id: int | None,
    actor_label: str,
    subject_type: str,
    subject_id: str,
    target_type: str,
    target_id: str,
    request_id: str,
    data: dict[str, Any],
    previous_hash: str,
) -> str:
    canonical = json.dumps(
        [
            sequence,
            occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            event,
            actor_kind,
            actor_user_id,
            actor_label,
            subject_type,
            subject_id,
            target_type,
            target_id,
            request_id,
            data,
            previous_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
