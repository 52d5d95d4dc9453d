"""Email and phone checks shared by every form and API (email-validator and phonenumbers do the
work).

One address rule for the whole site: a mailbox name (before the @) in letters outside ASCII can only
be delivered by a mail server that speaks SMTPUTF8 (RFC 6531). Unless the operator says ours does
(`SMTP_SMTPUTF8`), such an address is refused at intake with a reason, because accepting it would
promise an email we cannot send. Domains in any script are fine: they travel as punycode.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email


def normalise_email(address: str) -> str:
    """One spelling per mailbox: trimmed and lower-cased, so Ana@X.com is ana@x.com."""
    return address.strip().lower()


def clean_email_address(value: str) -> str:
    """A valid address our mail server can deliver to, normalised (domain lower-cased), or a
    field error that says what to change."""
    local_part = value.strip().rpartition("@")[0]
    if local_part and not local_part.isascii() and not settings.SMTP_SMTPUTF8:
        raise forms.ValidationError(
            _(
                "The part before the @ has a letter our mail system can't send to (it may be a "
                "look-alike from another alphabet). Please type it again using only the letters "
                "a to z, digits and . _ + -, or use another address."
            ),
            code="unsupported",
        )
    try:
        result = validate_email(
            value, check_deliverability=False, allow_smtputf8=settings.SMTP_SMTPUTF8
        )
    except EmailNotValidError:
        raise forms.ValidationError(
            _("Enter an email address we can write to, like name@example.com."), code="invalid"
        ) from None
    return str(result.normalized)


class EmailAddressField(forms.CharField):
    """The one email field of every form: same rule as the API, browser keyboard for email."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        cleaned: str = super().clean(value)
        return clean_email_address(cleaned) if cleaned else cleaned


def clean_phone_number(value: str, *, region: str = "US") -> str:
    """A valid phone number in E.164 form (+13105550142), or a field error."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Enter a phone number we can call, like (310) 555-0142."), code="invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


LARGEST_ID = 2**63 - 1


def whole_number(text: str) -> int | None:
    """A record number typed into a URL or form, or None: ASCII digits only (Python's int() also
    takes "²"-like digits it then cannot read, and numbers too big for any database column)."""
    text = text.strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None
