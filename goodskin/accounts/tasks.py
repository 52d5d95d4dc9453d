"""Account email tasks: take ids, re-fetch, send. Enqueued after the commit that caused them."""

from __future__ import annotations

from django.tasks import task

from goodskin.accounts.emails import AccountEmail, send_account_email
from goodskin.accounts.models import User
from goodskin.core.context import Actor, acting_as


@task
def deliver_account_email(*, user_id: int, kind: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:  # closed since the message was queued: nothing to say to an erased account
        return
    with acting_as(Actor.system("account-mail")):
        send_account_email(user=user, kind=AccountEmail(kind))
