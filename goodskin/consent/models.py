from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from goodskin.core.datamap import DataSource, OnErase, Personal, PersonalData

# Each recorded choice is kept as proof of what a person chose and when: a legal obligation.
_CHOICE = Personal("user.account.settings", ("essential.legal_obligation",), "Legal obligations")


class Source(models.TextChoices):
    BANNER = "banner", "Banner"
    CHOICES_PAGE = "choices_page", "Your Privacy Choices page"
    GPC = "gpc", "Global Privacy Control signal"
    PRIVACY_REQUEST = "privacy_request", "Opt-out request (applies to all the person's browsers)"


class ConsentRecord(models.Model):
    """Proof of one choice: what was chosen, when, how, under which policy and exactly which text.

    Records are never changed; a new choice is a new record, and the newest for a browser governs.
    """

    browser_id = models.CharField(max_length=32, db_index=True)
    person = models.ForeignKey(
        "vault.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    preferences = models.BooleanField(null=True)
    analytics = models.BooleanField(null=True)
    marketing = models.BooleanField(null=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    gpc = models.BooleanField(default=False)
    dnt = models.BooleanField(default=False)
    policy_version = models.CharField(max_length=32)
    banner_text_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="consent",
        retention_clock="created_at",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOUR_BROWSER, DataSource.YOU),
        description="Your cookie and privacy choices, kept as proof of what you chose and when.",
        fields={
            "browser_id": Personal(
                "user.device.cookie_id", ("essential.legal_obligation",), "Legal obligations"
            ),
            **dict.fromkeys(("preferences", "analytics", "marketing", "gpc", "dnt"), _CHOICE),
        },
        not_personal=(
            "id",
            "source",
            "policy_version",
            "banner_text_hash",
            "language",
            "created_at",
        ),
    )

    class Meta:
        indexes = [models.Index(fields=["browser_id", "-created_at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"consent record {self.pk}"
