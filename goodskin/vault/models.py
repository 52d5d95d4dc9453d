"""The data subject, their key, and the erasure journal.

`Person` lives with the data. `PersonKey` and `Erasure` live in the separate keyring database
(routers.py): a person's data key exists in exactly one place, and destroying it there makes
every sealed copy of their sensitive data unreadable, including the copies inside data backups.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData


class Person(models.Model):
    """Someone we hold personal data about, with or without an account.

    Found by email or phone (normalised, indexed). Every row of personal data points here, so
    everything about one person is one indexed query per table in the data map.
    """

    key_id = models.UUIDField(unique=True, editable=False)
    email = models.EmailField(max_length=254, null=True, blank=True, unique=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    phone = models.CharField(max_length=20, null=True, blank=True, db_index=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="self",
        retention="person",
        on_erase=OnErase.ANONYMISE,
        sources=(DataSource.YOU,),
        description="The data subject: how we recognise a person across forms and accounts.",
        fields={
            "email": Personal(
                "user.contact.email",
                ("essential.service", "essential.service.notifications"),
                "Contract",
                recipients=("email-delivery",),
                corrects="email",
            ),
            "phone": Personal(
                "user.contact.phone_number", ("essential.service",), "Contract", corrects="phone"
            ),
        },
        not_personal=(
            "id",
            "key_id",
            "email_verified_at",
            "phone_verified_at",
            "created_at",
            "erased_at",
        ),
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_data_map", "See the data map"),
            ("export_person", "Export everything held about one person"),
            ("manage_keys", "Rotate the master key and replay erasures after a restore"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True)
                | (models.Q(email__isnull=True) & models.Q(phone__isnull=True)),
                name="vault_person_erased_has_no_contact",
            )
        ]

    def __str__(self) -> str:
        return f"person {self.pk}"


class PersonKey(models.Model):
    """A person's data key, wrapped by a master key. Lives in the keyring database."""

    key_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped = models.BinaryField()
    master_key_id = models.CharField(max_length=16, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Random key material, linked to a person only through Person.key_id."
    )

    def __str__(self) -> str:
        return f"person key {self.key_id}"


class ErasureReason(models.TextChoices):
    ACCOUNT_CLOSED = "account_closed", "Account closed"
    DELETION_REQUEST = "deletion_request", "Deletion request"
    MINOR = "minor", "Information about a minor"
    RETENTION = "retention", "Retention period ended"


class Erasure(models.Model):
    """The erasure journal: who was erased and when, kept with the keys and never in a data backup,
    so a restored backup can be brought back in line (`vault.actions.reapply_erasures`)."""

    # Matched by key id, never by person number: a restored database reissues numbers, and an
    # erasure must never land on a new person who happens to get an old number.
    key_id = models.UUIDField(unique=True)
    person_id = models.BigIntegerField()
    reason = models.CharField(max_length=32, choices=ErasureReason.choices)
    erased_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "References to erased people by internal number only; no contact details or values."
    )

    def __str__(self) -> str:
        return f"erasure of person {self.person_id}"
