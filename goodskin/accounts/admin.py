from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from goodskin.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    """Staff can look accounts up; every change to an account goes through accounts.actions, so
    the console offers no edit form that would bypass the audit log."""

    list_display = [
        "id",
        "email",
        "full_name",
        "email_verified_at",
        "date_joined",
        "closed_at",
        "is_staff",
    ]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email"]
    exclude = ["password"]
    readonly_fields = [
        "email",
        "full_name",
        "date_of_birth",
        "preferred_language",
        "email_verified_at",
        "date_joined",
        "closed_at",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "groups",
        "user_permissions",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
