"""Account emails: essential messages (account, security) that never carry marketing content.

Rendered in the person's language into the outbox, in the transaction of the change that causes
them; links with tokens are sealed there under the person's key and deleted once sent.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from goodskin.accounts.models import User
from goodskin.accounts.tokens import make_email_verification_token, password_reset_tokens
from goodskin.communications.actions.outbox import queue_essential_email


class AccountEmail(StrEnum):
    VERIFY_EMAIL = "verify_email"
    ACCOUNT_EXISTS = "account_exists"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a template name, not a password)
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  (as above)
    CLOSED_BUT_HELD = "closed_but_held"


def _link(kind: AccountEmail, user: User) -> str:
    if kind is AccountEmail.VERIFY_EMAIL:
        path = reverse("accounts:verify_email", args=[make_email_verification_token(user)])
    elif kind in {AccountEmail.PASSWORD_RESET, AccountEmail.ACCOUNT_EXISTS}:
        path = reverse(
            "accounts:password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                password_reset_tokens.make_token(user),
            ],
        )
    else:
        path = reverse("accounts:password_reset")
    return settings.SITE_URL + path


def queue_account_email(
    *, user: User, kind: AccountEmail, extra: dict[str, object] | None = None
) -> None:
    queue_essential_email(
        person=user.person,
        template=f"accounts/email/{kind}",
        language=user.preferred_language,
        context={
            "user": user,
            "link": _link(kind, user),
            "sign_in_link": settings.SITE_URL + reverse("accounts:login"),
            **(extra or {}),
        },
    )
