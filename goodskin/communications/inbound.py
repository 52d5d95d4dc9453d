"""Reading mail that comes back to us: `mailto:` unsubscribes and delivery failure reports.

Pure parsing: what a message asks for, never a database write (actions do those).
"""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr

_TOKEN = re.compile(r"unsubscribe\s+(\S+)", re.IGNORECASE)
_OUR_MESSAGE_ID = re.compile(r"<([0-9a-f-]{36})@", re.IGNORECASE)


@dataclass(frozen=True)
class UnsubscribeRequest:
    token: str | None  # from our List-Unsubscribe mailto; None when someone just wrote to us
    sender: str


@dataclass(frozen=True)
class Bounce:
    message_id: uuid.UUID
    permanent: bool


def read(raw: bytes) -> UnsubscribeRequest | Bounce | None:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    if message.get_content_type() == "multipart/report":
        return _bounce(message)
    subject = str(message.get("Subject", ""))
    sender = parseaddr(str(message.get("From", "")))[1]
    match = _TOKEN.search(subject)
    if match:
        return UnsubscribeRequest(token=match.group(1), sender=sender)
    if "unsubscribe" in subject.lower() and sender:
        return UnsubscribeRequest(token=None, sender=sender)
    return None


def _bounce(report: EmailMessage) -> Bounce | None:
    """A delivery status notification (RFC 3464) about one of our messages."""
    status, original = "", ""
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.iter_parts() if part.is_multipart() else [part]:
                text = block.as_string()
                found = re.search(r"^Status:\s*([245])\.", text, re.MULTILINE)
                if found:
                    status = found.group(1)
        elif kind in {"message/rfc822", "text/rfc822-headers"}:
            original = part.as_string()
    found_id = _OUR_MESSAGE_ID.search(original)
    if not status or found_id is None:
        return None
    try:
        message_id = uuid.UUID(found_id.group(1))
    except ValueError:
        return None
    return Bounce(message_id=message_id, permanent=status == "5")
