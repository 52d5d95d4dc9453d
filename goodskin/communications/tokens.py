"""Signed links in messages: what they name and for what purpose, never an address.

Unsubscribe links must keep working for as long as a message can be read (CAN-SPAM asks for at
least 30 days; we never expire them), so they carry no timestamp. They name the person's random
`link_id`, the topic and channel the message belonged to, and the campaign it came from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core import signing

_UNSUBSCRIBE = "goodskin.communications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeLink:
    link_id: uuid.UUID
    topic: str
    channel: str
    campaign_id: int | None


class BadLink(ValueError):
    """Forged, truncated or garbled: nothing can be done with it, and nothing is revealed."""


def make_unsubscribe_token(link: UnsubscribeLink) -> str:
    payload = [link.link_id.hex, link.topic, link.channel, link.campaign_id or 0]
    return signing.Signer(salt=_UNSUBSCRIBE).sign_object(payload, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeLink:
    try:
        link_id, topic, channel, campaign_id = signing.Signer(salt=_UNSUBSCRIBE).unsign_object(
            token
        )
        return UnsubscribeLink(
            link_id=uuid.UUID(hex=link_id),
            topic=str(topic),
            channel=str(channel),
            campaign_id=int(campaign_id) or None,
        )
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink from None
