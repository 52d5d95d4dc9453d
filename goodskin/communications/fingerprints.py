"""Keyed fingerprints of addresses for the suppression list (docs/adr/0012).

HMAC-SHA256 under a platform key kept in the keyring and wrapped by the master key: the list can
answer "is this address suppressed?" without holding any address, and testing a guessed address
against it needs the master key.
"""

from __future__ import annotations

import hashlib
import hmac

from goodskin.core.validation import normalise_email
from goodskin.vault.keys import system_key

KEY_NAME = "suppression-fingerprints"


class Fingerprinter:
    """Fetches the key once; make one per batch of checks."""

    def __init__(self) -> None:
        self._key = system_key(KEY_NAME)

    def __call__(self, channel: str, address: str) -> str:
        canonical = normalise_email(address) if channel == "email" else address.strip()
        message = f"{channel}\x00{canonical}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
