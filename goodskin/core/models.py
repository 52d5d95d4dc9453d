from django.db import models


class RateCounter(models.Model):
    """Hits against one rate limit within a fixed window.

    `key` is a keyed hash of the limit's scope and the value it counts (an email address, an IP
    address), so the table never holds the address itself and cannot be reversed without the
    secret key. Counters are shared by every web process through the database.
    """

    key = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField()
    hits = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["window_started_at"], name="core_ratecounter_window")]

    def __str__(self) -> str:
        return f"rate counter {self.pk}"
