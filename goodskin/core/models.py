from typing import ClassVar

from django.db import models

from goodskin.core.datamap import DataSource, OnErase, Personal, PersonalData


class RateCounter(models.Model):
    """Hits against one rate limit within a fixed window.

    `key` is a keyed hash of the limit's scope and the value it counts (an email address, an IP
    address), so the table never holds the address itself and cannot be reversed without the
    secret key. Counters are shared by every web process through the database.
    """

    key = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField()
    hits = models.PositiveIntegerField()
    # When the latest hit was counted: limits that slow down rather than stop measure from it.
    last_hit_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject=None,
        retention="rate-limit-window",
        retention_clock="window_started_at",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOUR_BROWSER,),
        description=(
            "Sign-in and reset attempt counters, keyed by a keyed hash of the email or network "
            "address; they cannot be read back and expire within an hour."
        ),
        fields={
            "key": Personal(
                "user.unique_id.pseudonymous",
                ("essential.service.security", "essential.fraud_detection"),
                "Legitimate interests",
            )
        },
        not_personal=("id", "window_started_at", "hits", "last_hit_at"),
    )

    class Meta:
        indexes = [models.Index(fields=["window_started_at"], name="core_ratecounter_window")]

    def __str__(self) -> str:
        return f"rate counter {self.pk}"
