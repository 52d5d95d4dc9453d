"""Framework hooks only: Django's sign-in and sign-out signals become audit entries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.context import Actor


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Event.SIGNED_IN, actor=Actor.user(user.pk), subject=user, target=user)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Event.SIGNED_OUT, actor=Actor.user(user.pk), subject=user, target=user)
