"""Versions of the clinic's policies, and who was told of a material change when.

A published version never changes. A material version governs a person from 30 calendar days after
their first notice of it, or from when they accept it if sooner; an immaterial one from its posting.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData


class Document(models.TextChoices):
    PRIVACY = "privacy", "Privacy Policy"
    STATE_NOTICE = "state_notice", "State Privacy Notice"
    TERMS = "terms", "Terms of Service"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PolicyVersion(models.Model):
    document = models.CharField(max_length=16, choices=Document.choices)
    number = models.PositiveIntegerField(null=True, blank=True)  # given on publication
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    content = models.JSONField()
    # What changed, in words for the notice and the email ({"en": ..., "es": ...}).
    summary = models.JSONField(default=dict, blank=True)
    material = models.BooleanField(null=True)
    reason = models.CharField(max_length=500, blank=True)  # why material or not
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the notice period starts (material) or the version is in force (immaterial).
    announced_at = models.DateTimeField(null=True, blank=True)
    # The announcement's fan-out: how many account holders were given a notice so far.
    notices_total = models.PositiveIntegerField(default=0)
    notices_done = models.PositiveIntegerField(default=0)
    announcement_cursor = models.BigIntegerField(default=0)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "The clinic's published policies and their drafts."
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_versions", "See policy drafts, versions and notices"),
            ("draft_version", "Draft and edit policy versions"),
            ("publish_version", "Publish a policy version"),
        ]
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                condition=models.Q(number__isnull=False),
                name="one_number_per_document_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} v{self.number or 'draft'}"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SITE = "site", "Notice shown on the site"
    REGISTRATION = "registration", "Accepted when opening an account"


class PolicyNotice(models.Model):
    """One account holder and one material version: when they were told (by email, handed to the
    mail server; on the site, while signed in) and whether they accepted early."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="notices")
    message = models.ForeignKey(
        "communications.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="policy-notices",
        on_erase=OnErase.DELETE,
        sources=(DataSource.OUR_RECORDS,),
        description="When we told you of a change to our policies, and whether you accepted it.",
        fields={
            name: Personal("user.behavior", ("essential.legal_obligation",), "Legal obligations")
            for name in ("emailed_at", "seen_at", "accepted_at")
        },
        not_personal=("id", "version", "message", "created_at"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_notice_per_version")
        ]

    def __str__(self) -> str:
        return f"policy notice {self.pk}"
