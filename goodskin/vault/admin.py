from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from goodskin.vault.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    """Look people up and export everything about them. Changes go through the vault's actions
    (erasure arrives with the rights workflow), so nothing here edits a person."""

    list_display = ["id", "email", "phone", "created_at", "erased_at", "export_link"]
    search_fields = ["email", "phone"]
    list_filter = ["erased_at"]
    readonly_fields = [
        "key_id",
        "email",
        "email_verified_at",
        "phone",
        "phone_verified_at",
        "created_at",
        "erased_at",
        "export_link",
    ]

    @admin.display(description="Export")
    def export_link(self, person: Person) -> str:
        url = reverse("console:rights:person_export", args=[person.pk])
        return format_html('<a href="{}">Everything about this person (JSON)</a>', url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
