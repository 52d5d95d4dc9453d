"""Reads for the staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Count, Q, QuerySet

from goodskin.accounts.models import User


def roles_managing_staff() -> QuerySet[Group]:
    """The roles that include the capability to manage staff (accounts.manage_staff)."""
    return Group.objects.filter(
        permissions__codename="manage_staff", permissions__content_type__app_label="accounts"
    )


def administrators(*, roles: QuerySet[Group] | None = None) -> set[int]:
    """Active staff accounts that can manage staff: superusers, and holders of `roles` (by
    default every role that includes the capability)."""
    held = roles_managing_staff() if roles is None else roles
    able = User.objects.filter(
        Q(groups__in=held) | Q(is_superuser=True), is_active=True, is_staff=True
    )
    return set(able.values_list("pk", flat=True))


def administrators_without_role(role: Group) -> set[int]:
    """The active staff who could still manage staff were `role` to lose that capability."""
    return administrators(roles=roles_managing_staff().exclude(pk=role.pk))


def role_names(user: Any) -> list[str]:
    """The roles a staff member holds, by name."""
    return list(user.groups.order_by("name").values_list("name", flat=True))


def staff_accounts() -> QuerySet[User]:
    return (
        User.objects.filter(is_staff=True)
        .annotate(factor_count=Count("second_factors"))
        .prefetch_related("groups")
        .order_by("-is_active", "full_name", "email")
    )
