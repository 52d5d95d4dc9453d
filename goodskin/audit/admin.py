from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from goodskin.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only for everyone: the log is evidence."""

    list_display = [
        "sequence",
        "occurred_at",
        "event_label",
        "actor_kind",
        "actor_user_id",
        "subject_type",
        "subject_id",
    ]
    list_filter = ["event", "actor_kind"]
    search_fields = ["subject_id", "target_id", "request_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
