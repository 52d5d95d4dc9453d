"""One request for a second staff member's approval, and its answer."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from goodskin.core.datamap import NotPersonal


class Outcome(models.TextChoices):
    WAITING = "waiting", "Waiting for a second person"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    DONE = "done", "Approved and carried out"


class Approval(models.Model):
    # The capability the action needs (`retention.release_hold`): the approver must hold it too.
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    # Staff account numbers, not foreign keys: approvals sit below the accounts app.
    asked_by = models.BigIntegerField()
    asked_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)  # why it should happen, in staff's words
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    decided_by = models.BigIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Which action on which record, staff account numbers and staff's reason: no one's values."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "target_type", "target_id"],
                condition=models.Q(outcome__in=["waiting", "approved"]),
                name="approval_one_open_per_action",
            )
        ]

    def __str__(self) -> str:
        return f"approval {self.pk}: {self.action} on {self.target_type} {self.target_id}"
