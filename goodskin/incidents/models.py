"""Security incidents: what happened, whom it touched, each state's clock, and every notice sent."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open: assessing"
    NOTIFYING = "notifying", "Notifying"
    CLOSED = "closed", "Closed"


class Incident(models.Model):
    title = models.CharField(max_length=150)
    # The notice's words, as staff record them; the notice says nothing they did not record.
    description = models.TextField(blank=True)  # what happened
    description_es = models.TextField(blank=True)
    actions_taken = models.TextField(blank=True)  # what we are doing
    actions_taken_es = models.TextField(blank=True)
    discovered_at = models.DateTimeField()
    contained_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    tables = models.JSONField(default=list)  # data-map labels of the systems involved
    categories = models.JSONField(default=list)  # data categories involved (empty: all)
    keys_exposed = models.BooleanField(default=False)  # were the keys that seal data exposed?
    assessment = models.TextField(blank=True)  # why it is (or is not) a notifiable breach
    exposed_categories = models.JSONField(default=list)  # readable in the systems involved
    sealed_categories = models.JSONField(default=list)  # sealed under keys that stayed safe
    # The substitute notice on the home and privacy pages, for the people we cannot reach: up
    # from the first such person until the longest posting period their states' laws require.
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    affected_computed_at = models.DateTimeField(null=True, blank=True)
    notices_total = models.PositiveIntegerField(default=0)
    notices_cursor = models.BigIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_report = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "What happened and what was done; the people affected are listed separately."
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_incidents", "See security incidents"),
            ("manage_incident", "Open, assess, delay, notify and close security incidents"),
        ]
        ordering = ["-discovered_at"]
        indexes = [models.Index(fields=["posted_until"], name="incident_posted")]

    def __str__(self) -> str:
        return f"incident {self.pk}: {self.title}"


class LawEnforcementDelay(models.Model):
    """A request from law enforcement to hold notices: the clocks stop while it lasts."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="delays")
    agency = models.CharField(max_length=150)
    reference = models.CharField(max_length=100, blank=True)  # their case or letter number
    in_writing = models.BooleanField(default=True)  # oral requests last 30 days at most (HIPAA)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal("A law-enforcement request about a case.")

    def __str__(self) -> str:
        return f"delay requested by {self.agency}"


class AffectedPerson(models.Model):
    """One person whose unsecured data was in the affected systems during the window."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=2)
    state_known = models.BooleanField(default=False)
    phi = models.BooleanField(default=False)  # protected health information involved (HIPAA)
    message = models.ForeignKey(
        "communications.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    unreachable = models.BooleanField(default=False)  # no address: substitute notice covers them

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="incident-records",
        on_erase=OnErase.ANONYMISE,
        sources=(DataSource.STAFF,),
        description="That a security incident touched your information, and when we told you.",
        fields={
            "state": Personal(
                "user.location.imprecise",
                ("essential.legal_obligation",),
                "Legal obligations",
                erased_value="",
            ),
            "notified_at": Personal(
                "user.behavior", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=("id", "incident", "state_known", "phi", "message", "unreachable"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="one_row_per_affected")
        ]
        indexes = [models.Index(fields=["incident", "state"], name="affected_by_state")]

    def __str__(self) -> str:
        return f"affected person {self.pk}"


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    what = models.CharField(max_length=300)

    personal_data: ClassVar[NotPersonal] = NotPersonal("An incident's timeline, without names.")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.what
