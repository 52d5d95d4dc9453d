"""Email and phone checks shared by every form (email-validator and phonenumbers do the work)."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email


def normalise_email(address: str) -> str:
    """One spelling per mailbox: trimmed and lower-cased, so Ana@X.com is ana@x.com."""
    return address.strip().lower()


def clean_email_address(value: str) -> str:
    """A syntactically valid address, normalised (domain lower-cased), or a field error."""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise forms.ValidationError(
            _("Enter an email address we can write to, like name@example.com."), code="invalid"
        ) from None
    return str(result.normalized)


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
