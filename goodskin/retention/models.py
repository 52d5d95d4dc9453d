"""Retention rules (data the privacy officer edits) and legal holds (what purges and erasure
skip)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData
from goodskin.core.schedule import CountedFrom, Outcome


class RetentionRule(models.Model):
    """How long one retention rule of the data map keeps data, from when, and what happens then.
    `period_days` empty: no age limit; the data goes with its purpose (see the rule's wording)."""

    key = models.SlugField(max_length=40, unique=True)
    period_days = models.PositiveIntegerField(null=True, blank=True)
    counted_from = models.CharField(max_length=20, choices=CountedFrom.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal("The clinic's retention schedule.")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class HoldReason(models.TextChoices):
    # Shown to the person whose data is kept, so in their language.
    DISPUTE = "dispute", _("a dispute that is not yet resolved")
    INVESTIGATION = "investigation", _("an investigation")
    FEES_OWED = "fees_owed", _("fees still owed")
    LITIGATION = "litigation", _("legal proceedings")
    FRAUD = "fraud", _("the prevention of fraud")
    LEGAL_PROCESS = "legal_process", _("a subpoena, warrant or court order")


class LegalHold(models.Model):
    """Keeps data from purges and erasure until a person releases it. It covers the people listed
    (a person, or everyone in a case), or, with no people, a data category for everyone."""

    reason = models.CharField(max_length=20, choices=HoldReason.choices)
    case_reference = models.CharField(max_length=80)
    category = models.CharField(max_length=80, blank=True)
    review_on = models.DateField()
    placed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "A matter's reason, reference and dates; who it covers is in HeldPerson."
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_schedule", "See the retention schedule and legal holds"),
            ("change_rule", "Change a retention rule"),
            ("place_hold", "Place a legal hold"),
            ("release_hold", "Release a legal hold"),
            ("run_backups", "Make and restore encrypted backups"),
        ]
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(case_reference=""), name="retention_hold_has_a_reference"
            )
        ]

    def __str__(self) -> str:
        return f"hold {self.pk} ({self.reason})"


class HeldPerson(models.Model):
    """One person under one hold, and whether they asked for erasure while it stood (the erasure
    then happens when the last hold on them is released)."""

    hold = models.ForeignKey(LegalHold, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    erasure_requested_at = models.DateTimeField(null=True, blank=True)
    erasure_reason = models.CharField(max_length=32, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="hold",
        on_erase=OnErase.DELETE,
        sources=(DataSource.STAFF,),
        description="That a person's data is kept under a legal hold, and their pending erasure.",
        fields={
            "hold": Personal(
                "user.unique_id", ("essential.legal_obligation",), "Legal obligations"
            ),
            "erasure_requested_at": Personal(
                "user.account.settings", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=("id", "erasure_reason"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hold", "person"], name="one_entry_per_hold_and_person")
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} under hold {self.hold_id}"
