"""What a message says and which headers it carries. No database writes.

Essential messages are rendered when queued, from the caller's template, and sealed in the outbox.
Campaign messages are rendered at the moment of sending from the campaign's text, so the outbox
holds nothing but a pointer for each of a hundred thousand recipients.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

from goodskin.communications.models import Topic
from goodskin.communications.tokens import UnsubscribeLink, make_unsubscribe_token


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class HeaderInjection(ValueError):
    """A subject or name would have split a mail header."""


def one_line(value: str, *, what: str) -> str:
    """A header value must be one line. Refuse rather than repair: a line break in a subject is
    either a bug or an attack, and silently joining lines would hide both."""
    if any(character in value for character in "\r\n\x00\x0b\x0c\x85\u2028\u2029"):
        raise HeaderInjection(f"{what} must be a single line")
    return value.strip()


def render_essential(*, template: str, language: str, context: dict[str, Any]) -> Rendered:
    """`<template>_subject.txt` and `<template>.txt`, in the recipient's language."""
    with translation.override(language):
        full_context = {
            "contact_email": settings.CLINIC_CONTACT_EMAIL,
            "site_url": settings.SITE_URL,
            **context,
        }
        subject = render_to_string(f"{template}_subject.txt", full_context).strip()
        text = render_to_string(f"{template}.txt", full_context)
    return Rendered(subject=one_line(subject, what="The subject"), text=text)


_TOKEN_SLOT = "TOKENSLOT"  # noqa: S105  (a placeholder in a URL, not a secret)
# The characters a signed token is made of: reverse() leaves every one of them as it is.
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9_:.-]+")


@functools.cache
def _unsubscribe_path_around_token() -> tuple[str, str]:
    before, _, after = reverse("communications:unsubscribe", args=[_TOKEN_SLOT]).partition(
        _TOKEN_SLOT
    )
    return before, after


def unsubscribe_url(token: str) -> str:
    """The link's full URL. A campaign makes one per recipient, so the route is reversed once and
    the token put in its place (reverse() would quote none of a token's characters anyway)."""
    if _PLAIN_TOKEN.fullmatch(token) is None:
        return settings.SITE_URL + reverse("communications:unsubscribe", args=[token])
    before, after = _unsubscribe_path_around_token()
    return f"{settings.SITE_URL}{before}{token}{after}"


def list_headers(*, token: str, topic: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: one HTTPS URI for one-click, a mailto for old clients."""
    return {
        "List-Unsubscribe": (
            f"<{unsubscribe_url(token)}>, "
            f"<mailto:{settings.UNSUBSCRIBE_MAILBOX}?subject=unsubscribe%20{token}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"GoodSkin {topic} <{topic}.list.goodskinclinics.com>",
    }


@dataclass(frozen=True)
class CampaignText:
    subject: str
    body: str
    topic: str


def _render_marketing_bodies(text: CampaignText, language: str, url: str) -> tuple[str, str]:
    with translation.override(language):
        context = {
            "subject": text.subject,
            "paragraphs": [part.strip() for part in text.body.split("\n\n") if part.strip()],
            "topic_label": Topic(text.topic).label,
            "unsubscribe_url": url,
            "postal_address": settings.CLINIC_POSTAL_ADDRESS,
            "contact_email": settings.CLINIC_CONTACT_EMAIL,
            "site_url": settings.SITE_URL,
            "language": language,
        }
        plain = render_to_string("communications/email/marketing.txt", context)
        html = render_to_string("communications/email/marketing.html", context)
    return plain, html


def render_marketing(*, text: CampaignText, language: str, link: UnsubscribeLink) -> Rendered:
    token = make_unsubscribe_token(link)
    plain, html = _render_marketing_bodies(text, language, unsubscribe_url(token))
    return Rendered(
        subject=one_line(text.subject, what="The subject"),
        text=plain,
        html=html,
        headers=list_headers(token=token, topic=text.topic),
    )


class MarketingRenderer:
    """A campaign's words rendered once per language for a whole batch; each message only gets
    its own unsubscribe link, put where a random placeholder stood. The result is the same text,
    byte for byte, as render_marketing (a test compares them)."""

    def __init__(self) -> None:
        self._placeholder = f"x{secrets.token_hex(16)}x"
        self._bodies: dict[tuple[CampaignText, str], tuple[str, str]] = {}

    def render(self, *, text: CampaignText, language: str, link: UnsubscribeLink) -> Rendered:
        bodies = self._bodies.get((text, language))
        if bodies is None:
            bodies = _render_marketing_bodies(text, language, self._placeholder)
            if any(self._placeholder in part for part in (text.subject, text.body)):
                bodies = ("", "")  # cannot happen by chance; never trust a cached body then
            self._bodies[(text, language)] = bodies
        if not bodies[0]:
            return render_marketing(text=text, language=language, link=link)
        token = make_unsubscribe_token(link)
        url = unsubscribe_url(token)
        return Rendered(
            subject=one_line(text.subject, what="The subject"),
            text=bodies[0].replace(self._placeholder, url),
            html=bodies[1].replace(self._placeholder, conditional_escape(url)),
            headers=list_headers(token=token, topic=text.topic),
        )


def render_marketing_sms(*, text: CampaignText, language: str) -> Rendered:
    with translation.override(language):
        stop = translation.gettext("Reply STOP to opt out.")
    return Rendered(subject="", text=f"GoodSkin: {text.body.strip()} {stop}")
