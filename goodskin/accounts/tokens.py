"""One token generator per purpose, each with its own salt: a token made for one purpose is
useless for any other (an email-verification link cannot reset a password)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

from goodskin.accounts.models import User

EMAIL_VERIFICATION_SALT = "goodskin.accounts.email-verification"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)


class PasswordResetTokens(PasswordResetTokenGenerator):
    key_salt = "goodskin.accounts.password-reset"


password_reset_tokens = PasswordResetTokens()


def _address_fingerprint(user: User) -> str:
    # Binds the token to the address it was sent to without putting the address in the link.
    return hashlib.sha256(user.email.encode()).hexdigest()[:16]


def make_email_verification_token(user: User) -> str:
    return signing.dumps(
        {"user": user.pk, "address": _address_fingerprint(user)}, salt=EMAIL_VERIFICATION_SALT
    )


def read_email_verification_token(token: str) -> tuple[int, str] | None:
    """The (user id, address fingerprint) a token names, or None when forged or expired."""
    try:
        payload = signing.loads(
            token, salt=EMAIL_VERIFICATION_SALT, max_age=EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, address = payload.get("user"), payload.get("address")
    if not isinstance(user_id, int) or not isinstance(address, str):
        return None
    return user_id, address


def token_matches_address(user: User, address: str) -> bool:
    return _address_fingerprint(user) == address
