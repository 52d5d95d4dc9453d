"""Rendering and sending one essential email, in the recipient's language.

Essential mail (account, security, requests) never carries marketing. Callers write the audit
entry; this module knows nothing about people or accounts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_essential(*, to: str, template: str, language: str, context: dict[str, Any]) -> None:
    """Send `<template>_subject.txt` / `<template>.txt` to one address."""
    with translation.override(language):
        full_context = {"contact_email": settings.CLINIC_CONTACT_EMAIL, **context}
        subject = render_to_string(f"{template}_subject.txt", full_context).strip()
        body = render_to_string(f"{template}.txt", full_context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"X-GoodSkin-Kind": "essential"},
    )
    message.send(using="default")
