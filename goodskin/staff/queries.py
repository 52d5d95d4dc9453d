"""Reads for the staff pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from goodskin.accounts.models import User


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
