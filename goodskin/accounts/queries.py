from __future__ import annotations

from goodskin.accounts.models import User
from goodskin.accounts.tokens import read_email_verification_token, token_matches_address


def access_account_by_verification_token(token: str) -> User | None:
    """The open account a verification link was made for, or None for any bad, expired or
    stale link (the account closed, or its address changed since the link was sent)."""
    claim = read_email_verification_token(token)
    if claim is None:
        return None
    user_id, address = claim
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not token_matches_address(user, address):
        return None
    return user
