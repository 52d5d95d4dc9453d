from __future__ import annotations

from typing import ClassVar

from django.db import models

from goodskin.core.datamap import NotPersonal


class Outcome(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    """One run of one periodic job for one slot; the unique slot is what makes it run once."""

    job = models.CharField(max_length=32)
    slot = models.DateTimeField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.RUNNING)
    summary = models.CharField(max_length=500, blank=True)  # the command's own last words
    detail = models.TextField(blank=True)  # a failure's traceback

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Which job ran when and how it ended, in the commands' own words (counts, never values)."
    )

    class Meta:
        permissions = [("view_jobs", "See the periodic jobs and how their last runs ended")]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="operations_job_slot_once")
        ]
        indexes = [models.Index(fields=["job", "-slot"], name="operations_job_latest")]

    def __str__(self) -> str:
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """When each task worker last turned the ticker."""

    worker = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    personal_data: ClassVar[NotPersonal] = NotPersonal("A worker's name and when it last ticked.")

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at:%H:%M:%S}"
