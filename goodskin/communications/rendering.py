"""What a message says and which headers it carries. No database writes.

Essential messages are rendered when queued, from the caller's template, and sealed in the outbox.
Campaign messages are rendered at the moment of sending from the campaign's text, so the outbox
holds nothing but a pointer for each of a hundred thousand recipients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("communications:unsubscribe", args=[token])


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


def render_marketing(*, text: CampaignText, language: str, link: UnsubscribeLink) -> Rendered:
    token = make_unsubscribe_token(link)
    with translation.override(language):
        context = {
            "subject": text.subject,
            "paragraphs": [part.strip() for part in text.body.split("\n\n") if part.strip()],
            "topic_label": Topic(text.topic).label,
            "unsubscribe_url": unsubscribe_url(token),
            "postal_address": settings.CLINIC_POSTAL_ADDRESS,
            "contact_email": settings.CLINIC_CONTACT_EMAIL,
            "site_url": settings.SITE_URL,
            "language": language,
        }
        plain = render_to_string("communications/email/marketing.txt", context)
        html = render_to_string("communications/email/marketing.html", context)
    return Rendered(
        subject=one_line(text.subject, what="The subject"),
        text=plain,
        html=html,
        headers=list_headers(token=token, topic=text.topic),
    )


def render_marketing_sms(*, text: CampaignText, language: str) -> Rendered:
    with translation.override(language):
        stop = translation.gettext("Reply STOP to opt out.")
    return Rendered(subject="", text=f"GoodSkin: {text.body.strip()} {stop}")
