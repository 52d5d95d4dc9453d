"""Reads for the staff pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Count, Q, QuerySet

from goodskin.accounts.models import User


def administrators_without_role(role: Group) -> set[int]:
    """The active staff who could still manage staff were `role` to lose that capability."""
    other_roles = Group.objects.exclude(pk=role.pk).filter(
        permissions__codename="manage_staff", permissions__content_type__app_label="accounts"
    )
    still = User.objects.filter(
        Q(groups__in=other_roles) | Q(is_superuser=True), is_active=True, is_staff=True
    )
    return set(still.values_list("pk", flat=True))


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
