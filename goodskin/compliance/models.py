"""The history of verifying the policy: each run, each check's result in it, and the alert kept
per clause so the privacy officer is emailed once when it starts failing, not every night."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from goodskin.core.datamap import NotPersonal


class Trigger(models.TextChoices):
    NIGHTLY = "nightly", "The nightly job"
    COMMAND = "command", "By hand (manage.py verify_policy)"
    CONSOLE = "console", "From the console"


class CheckRun(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=8, choices=Trigger.choices)
    policy_version = models.PositiveIntegerField(default=0)  # the Privacy Policy's, in force
    checks_run = models.PositiveIntegerField(default=0)
    checks_failed = models.PositiveIntegerField(default=0)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "When the policy was verified, by what, and how many checks failed."
    )

    class Meta:
        permissions = [("view_compliance", "See which clauses of the policy are verified")]
        indexes = [models.Index(fields=["-started_at"], name="compliance_run_latest")]

    def __str__(self) -> str:
        return f"verification at {self.started_at:%Y-%m-%d %H:%M}"


class CheckResult(models.Model):
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="results")
    check_name = models.CharField(max_length=100)
    passed = models.BooleanField()
    # Counts and references (row numbers, rule names), never a person's values: the registry's
    # checks return only those, and record() refuses anything that looks like an address.
    evidence = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)  # a crash: its class and where
    took_ms = models.PositiveIntegerField(default=0)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Whether one check passed, with counts and row references as evidence."
    )

    class Meta:
        indexes = [models.Index(fields=["check_name", "-run"], name="compliance_result_trend")]

    def __str__(self) -> str:
        return f"{self.check_name}: {'passed' if self.passed else 'failed'}"


class ClauseAlert(models.Model):
    """A clause whose checks are failing: the privacy officer is emailed when it starts, and
    again only after it has passed and failed anew."""

    clause = models.CharField(max_length=80, unique=True)
    failing_since = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Which clause is failing its checks, since when, and when the officer was told."
    )

    def __str__(self) -> str:
        return f"{self.clause} failing since {self.failing_since:%Y-%m-%d}"


class MutantRun(models.Model):
    """One run of `make mutants`: how many deliberate breaks of the code were made, how many
    their checks caught, and which checks have been proven to bite."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    scope = models.CharField(max_length=8)  # "full", or "quick" (CI's time-boxed subset)
    mutants = models.PositiveIntegerField()
    killed = models.PositiveIntegerField()
    survivors = models.JSONField(default=list)  # mutant names
    bitten = models.JSONField(default=list)  # check names at least one mutant was caught by

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "How many deliberate breaks of the code the checks caught, by name."
    )

    def __str__(self) -> str:
        return f"mutants: {self.killed} of {self.mutants} caught"
