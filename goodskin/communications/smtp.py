"""Django's SMTP backend, plus a DKIM signature when the site has a signing key.

RFC 8058 requires the signature to cover List-Unsubscribe and List-Unsubscribe-Post; we sign
those with the headers that identify the message. The signed bytes are sent as they are, so
nothing re-folds a signed header after signing.
"""

from __future__ import annotations

import email.policy
import smtplib
from functools import cache
from pathlib import Path

import dkim
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

SIGNED_HEADERS = (
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"list-id",
    b"mime-version",
    b"content-type",
)


@cache
def _private_key(path: str) -> bytes:
    return Path(path).read_bytes()


def dkim_signature(raw: bytes) -> bytes:
    """The DKIM-Signature header line for `raw`, or b"" when signing is not configured."""
    if not (settings.DKIM_DOMAIN and settings.DKIM_SELECTOR and settings.DKIM_PRIVATE_KEY_FILE):
        return b""
    present = [name for name in SIGNED_HEADERS if name in raw.split(b"\r\n\r\n", 1)[0].lower()]
    signature: bytes = dkim.sign(
        raw,
        selector=settings.DKIM_SELECTOR.encode(),
        domain=settings.DKIM_DOMAIN.encode(),
        privkey=_private_key(settings.DKIM_PRIVATE_KEY_FILE),
        include_headers=present,
        linesep=b"\r\n",
    )
    return signature


class SigningSmtpBackend(EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        if not email_message.recipients():
            return False
        # A mailbox name outside ASCII travels only over SMTPUTF8, and only when the operator
        # says the server takes it (intake refuses such addresses otherwise: core.validation).
        utf8 = settings.SMTP_SMTPUTF8 and not all(
            address.isascii() for address in email_message.recipients()
        )
        from_email = self.prep_address(email_message.from_email)
        recipients = [
            self.prep_address(address, force_ascii=not utf8)
            for address in email_message.recipients()
        ]
        policy = email.policy.SMTPUTF8 if utf8 else email.policy.SMTP
        raw = email_message.message(policy=policy).as_bytes()
        raw = dkim_signature(raw) + raw
        assert self.connection is not None  # opened by send_messages before _send is called
        try:
            self.connection.sendmail(
                from_email, recipients, raw, mail_options=["SMTPUTF8"] if utf8 else []
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
