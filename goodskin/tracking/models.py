"""Automatic data collection: one row per page view or action, minimised before it is written."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData


def _counted(category: str) -> Personal:
    """Collected to count visits, under the clinic's legitimate interest in improving the site."""
    return Personal(category, ("analytics.reporting",), "Legitimate interests")


class EventKind(models.TextChoices):
    PAGE_VIEW = "page_view", "Page view"
    BOOK_CLICK = "book_click", "Clicked “Book a consultation”"
    FORM_START = "form_start", "Started a form"
    FORM_SUBMIT = "form_submit", "Sent a form"


class PageEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    path = models.CharField(max_length=200)
    previous_path = models.CharField(max_length=200, blank=True)
    referrer_host = models.CharField(max_length=100, blank=True)
    visitor = models.CharField(max_length=32)
    consented = models.BooleanField()
    ip_prefix = models.CharField(max_length=39, blank=True)
    device = models.CharField(max_length=8)
    browser = models.CharField(max_length=40)
    os = models.CharField(max_length=40)
    screen = models.CharField(max_length=11, blank=True)
    language = models.CharField(max_length=16, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject=None,
        retention="analytics-events",
        retention_clock="occurred_at",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOUR_BROWSER,),
        description=(
            "Pages viewed and actions taken on this site, with a truncated network address and a "
            "visitor number that is random (with your consent) or changes every day."
        ),
        fields={
            **dict.fromkeys(
                ("path", "previous_path", "referrer_host"),
                _counted("user.behavior.browsing_history"),
            ),
            "visitor": _counted("user.unique_id.pseudonymous"),
            "ip_prefix": Personal(
                "user.device.ip_address",
                ("analytics.reporting", "essential.fraud_detection"),
                "Legitimate interests",
            ),
            **dict.fromkeys(
                ("device", "browser", "os", "screen", "language"), _counted("user.device")
            ),
        },
        not_personal=("id", "occurred_at", "kind", "consented"),
    )

    class Meta:
        indexes = [models.Index(fields=["kind", "occurred_at"], name="tracking_kind_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Dimension(models.TextChoices):
    SITE = "site", "Whole site"
    PATH = "path", "Page"
    REFERRER = "referrer", "Referring site"
    DEVICE = "device", "Device type"
    FUNNEL = "funnel", "Funnel step"


class DailySummary(models.Model):
    """Totals for one local day: what the dashboard reads, and all that is kept after 13 months."""

    day = models.DateField()
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    value = models.CharField(max_length=200)
    views = models.PositiveIntegerField()
    visitors = models.PositiveIntegerField()

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Daily totals per page, referring site, device type and funnel step; "
        "no visitor, no address."
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_analytics", "See the visit statistics"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "value"], name="tracking_summary_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}"
