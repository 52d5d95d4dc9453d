"""Reads for the staff pages."""

from __future__ import annotations

from django.db.models import QuerySet

from goodskin.accounts.models import User


def staff_accounts() -> QuerySet[User]:
    return (
        User.objects.filter(is_staff=True)
        .prefetch_related("groups")
        .order_by("-is_active", "full_name", "email")
    )
