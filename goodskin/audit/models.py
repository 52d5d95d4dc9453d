"""The audit log: append-only rows, each holding the hash of the one before.

Rows hold references (type and id) and category names, never personal values, so the log can
outlive the erasure of the person it is about (docs/adr/0003). There is no code path that updates
or deletes an entry: the model and its queryset refuse, and on PostgreSQL a trigger refuses too.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models

from goodskin.audit.events import Event
from goodskin.core.datamap import NotPersonal


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    def about(self, *, subject_type: str, subject_id: str) -> AuditEntryQuerySet:
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class AuditEntry(models.Model):
    sequence = models.BigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(editable=False)
    # Validated by record() against Event; no `choices` here, so a new event needs no migration.
    event = models.CharField(max_length=64, editable=False)
    actor_kind = models.CharField(max_length=16, editable=False)
    actor_user_id = models.BigIntegerField(null=True, editable=False)
    actor_label = models.CharField(max_length=64, blank=True, editable=False)
    subject_type = models.CharField(max_length=64, blank=True, editable=False)
    subject_id = models.CharField(max_length=64, blank=True, editable=False)
    target_type = models.CharField(max_length=64, blank=True, editable=False)
    target_id = models.CharField(max_length=64, blank=True, editable=False)
    request_id = models.CharField(max_length=32, blank=True, editable=False)
    data = models.JSONField(default=dict, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "References (record type and number) and category names only, never personal values; "
        "kept after a person's erasure as evidence of what was done (docs/adr/0003)."
    )

    class Meta:
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
            models.Index(fields=["event", "occurred_at"], name="audit_event_time"),
            models.Index(fields=["occurred_at"], name="audit_time"),
            # How many people one staff account read in the last hour (access_log's alert).
            models.Index(fields=["actor_user_id", "occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def event_label(self) -> str:
        return str(Event(self.event).label) if self.event in Event.values else self.event


class ChainHead(models.Model):
    """One row: the newest entry's sequence and hash. Locking it serialises appends."""

    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    personal_data: ClassVar[NotPersonal] = NotPersonal("The newest entry's number and hash.")

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_sequence}"
