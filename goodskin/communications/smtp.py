"""Django's SMTP backend, plus a DKIM signature when the site has a signing key.

RFC 8058 requires the signature to cover List-Unsubscribe and List-Unsubscribe-Post; we sign
those with the headers that identify the message. The signed bytes are sent as they are, so
nothing re-folds a signed header after signing.

List-Unsubscribe is written by us, byte for byte. Python's email library folds a header at 78
characters and, when one word (a long https link) cannot fit, turns the whole header into an
RFC 2047 encoded-word, which that header may not contain (RFC 2369): Gmail and Yahoo then see no
link and offer no one-click unsubscribe. So the header is taken out before the library writes the
message and put back as plain ASCII, one URI per line, folded only between them.
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


# Headers whose value is a list of <URI>s, written as they are (see the module docstring).
URI_LIST_HEADERS = ("List-Unsubscribe",)


def uri_list_header(name: str, value: str) -> bytes:
    """`Name: <a>,\r\n <b>\r\n`: ASCII only, folded only between URIs; never encoded."""
    uris = [part.strip() for part in value.split(",")]
    if (
        not value.isascii()
        or any(character in value for character in "\r\n\0")
        or not all(uri.startswith("<") and uri.endswith(">") and " " not in uri for uri in uris)
    ):
        raise ValueError(f"{name} must be a list of <URI>s in ASCII")
    return f"{name}: {',\r\n '.join(uris)}\r\n".encode("ascii")


def message_bytes(email_message: EmailMessage, *, policy: email.policy.Policy) -> bytes:
    """The message as it goes on the wire, with URI-list headers written by us."""
    taken = {
        name: email_message.extra_headers.pop(name)
        for name in URI_LIST_HEADERS
        if name in email_message.extra_headers
    }
    try:
        raw = email_message.message(policy=policy).as_bytes()
    finally:
        email_message.extra_headers.update(taken)  # the caller's message is left as it was
    if not taken:
        return raw
    written = b"".join(uri_list_header(name, value) for name, value in taken.items())
    head, separator, body = raw.partition(b"\r\n\r\n")
    return head + b"\r\n" + written[:-2] + separator + body


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
        raw = message_bytes(email_message, policy=policy)
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
