"""Framework hooks only: Django's sign-in and sign-out signals become audit entries, and any
change to who holds which capability raises the accounts' roles_generation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed, pre_delete
from django.dispatch import receiver
from django.http import HttpRequest

from goodskin.accounts.actions import roles_changed
from goodskin.accounts.models import User
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


CHANGES = {"post_add", "post_remove", "post_clear", "pre_clear"}


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def account_roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action in CHANGES:
        roles_changed(accounts=[instance.pk] if not reverse else list(pk_set or ()))
        if reverse and action == "pre_clear":
            roles_changed(accounts=list(instance.user_set.values_list("pk", flat=True)))


@receiver(m2m_changed, sender=Group.permissions.through)
def role_capabilities_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action in CHANGES:
        groups = list(pk_set or ()) if reverse else [instance.pk]
        if reverse and action == "pre_clear":
            groups = list(instance.group_set.values_list("pk", flat=True))
        roles_changed(groups=groups)


@receiver(pre_delete, sender=Group)
def role_deleted(sender: Any, instance: Group, **kwargs: Any) -> None:
    roles_changed(groups=[instance.pk])
