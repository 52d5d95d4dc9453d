"""Data-subject requests: what was asked, by whom, under which state's rules, and on what clock."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodskin.core.datamap import DataSource, OnErase, Personal, PersonalData
from goodskin.vault.fields import BYTES, TEXT, SealedField, sealed


class RequestKind(models.TextChoices):
    KNOW = "know", _("What kinds of information you hold about me")
    ACCESS = "access", _("A copy of the information you hold about me")
    PORTABILITY = "portability", _("My information in a file I can take elsewhere")
    DELETE = "delete", _("Delete my information")
    CORRECT = "correct", _("Correct my information")
    OPT_OUT = "opt_out", _("Do not sell or share my information, or use it for targeted ads")
    OPT_OUT_PROFILING = "opt_out_profiling", _("Do not use my information for profiling")
    LIMIT_SENSITIVE = "limit_sensitive", _("Limit the use of my sensitive information")
    LIST_THIRD_PARTIES = (
        "list_third_parties",
        _("The third parties you disclosed my information to"),
    )
    APPEAL = "appeal", _("Appeal a decision on an earlier request")
    CHILD = "child", _("Delete information about my child (under 18)")


# Opt-outs are never verified (11 CCR § 7026(d) and every state law in the table): they are
# carried out as soon as they arrive.
OPT_OUTS = (RequestKind.OPT_OUT, RequestKind.OPT_OUT_PROFILING, RequestKind.LIMIT_SENSITIVE)


class Channel(models.TextChoices):
    WEB = "web", "Website form"
    ACCOUNT = "account", "Account page"
    API = "api", "API"
    EMAIL = "email", "Email to info@"
    MAIL = "mail", "Letter"
    PHONE = "phone", "Phone"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    RECEIPT_CONFIRMED = "receipt_confirmed", "Receipt confirmed"
    VERIFIED = "verified", "Verified"
    IN_PROGRESS = "in_progress", "In progress"
    EXTENDED = "extended", "Extended"
    FULFILLED = "fulfilled", "Fulfilled"
    DENIED = "denied", "Denied"


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.RECEIPT_CONFIRMED,
    Status.VERIFIED,
    Status.IN_PROGRESS,
    Status.EXTENDED,
)


class Verification(models.TextChoices):
    NONE = "", "Not verified"
    SIGNED_IN = "signed_in", "Signed in to the matching account"
    EMAIL_CODE = "email_code", "Code sent to the address"
    DETAILS = "details", "Code and two matching details"
    NOT_NEEDED = "not_needed", "Opt-out: no verification"


class DataRequest(models.Model):
    reference = models.CharField(max_length=12, unique=True)
    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=RequestKind.choices)
    state = models.CharField(max_length=2)
    rules = models.CharField(max_length=2)  # the table row applied: the state, or US (promise)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    details_sealed = SealedField(null=True, blank=True)
    details = sealed("details_sealed", codec=TEXT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField()
    receipt_due_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    verification = models.CharField(max_length=12, choices=Verification.choices, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # A copy of specific pieces we could not verify to a high degree is answered with the
    # categories instead (11 CCR § 7024(c)).
    categories_only = models.BooleanField(default=False)
    appeal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    closed_on = models.DateField(null=True, blank=True)
    # A deletion: when the erasure began. Set before it, and the request marked done only after
    # it, so a crash in between leaves something to finish (actions.resume_deletions).
    erasure_started_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    outcome_note = models.CharField(max_length=500, blank=True)  # denial reasons, what was kept
    report_sealed = SealedField(null=True, blank=True)
    report = sealed("report_sealed", codec=BYTES)
    # An authorised agent's name and address ("name\naddress"), and the signed permission they
    # attached (or a parent's proof of guardianship): read by staff only, never sent anywhere.
    agent_sealed = SealedField(null=True, blank=True)
    agent = sealed("agent_sealed", codec=TEXT)
    document_sealed = SealedField(null=True, blank=True)
    document = sealed("document_sealed", codec=BYTES)
    document_type = models.CharField(max_length=40, blank=True)
    # A parent's request: the child's address, until the minors case takes over.
    child_sealed = SealedField(null=True, blank=True)
    child_email = sealed("child_sealed", codec=TEXT)
    # A correction: the pieces the person says are wrong (vault.corrections.Item values), so the
    # staff form offers exactly those.
    correct_items = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="rights-requests",
        on_erase=OnErase.ANONYMISE,
        sources=(DataSource.YOU, DataSource.STAFF, DataSource.SOMEONE_FOR_YOU),
        description="Privacy requests: what was asked, when, and how and when it was answered.",
        fields={
            "details_sealed": Personal(
                "user.content.private", ("essential.legal_obligation",), "Legal obligations"
            ),
            "report_sealed": Personal(
                "user.content.private", ("essential.legal_obligation",), "Legal obligations"
            ),
            "agent_sealed": Personal(
                "user.contact.email", ("essential.legal_obligation",), "Legal obligations"
            ),
            "document_sealed": Personal(
                "user.content.private", ("essential.legal_obligation",), "Legal obligations"
            ),
            "child_sealed": Personal(
                "user.contact.email", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=(
            "id",
            "reference",
            "kind",
            "state",
            "rules",
            "channel",
            "language",
            "status",
            "received_on",
            "receipt_due_on",
            "due_on",
            "extended_due_on",
            "verification",
            "verified_at",
            "code_hash",
            "code_sent_at",
            "code_attempts",
            "locked_until",
            "duplicate_of",
            "appeal_of",
            "categories_only",
            "document_type",
            "correct_items",
            "closed_on",
            "erasure_started_at",
            "created_at",
            "extension_reason",
            "outcome_note",
        ),
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_requests", "See privacy requests and minors cases"),
            ("record_request", "Record a request received by letter, phone or in person"),
            ("fulfil_request", "Verify, extend, deny, correct and fulfil privacy requests"),
            ("decide_minors_case", "Decide possible-minor cases"),
        ]
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="rights_queue")]

    def __str__(self) -> str:
        return self.reference

    @property
    def current_due_on(self) -> date:
        return self.extended_due_on or self.due_on


class MinorSource(models.TextChoices):
    CLASSIFIER = "classifier", "A form message says the writer is under 18"
    STAFF = "staff", "Reported by staff"
    PARENT = "parent", "A parent or guardian asked us"


class MinorStatus(models.TextChoices):
    OPEN = "open", "Open"
    ERASED = "erased", "Erased"
    DISMISSED = "dismissed", "Not a minor"
    CONSENTED = "consented", "Kept with a parent's verified consent"


class ConsentMethod(models.TextChoices):
    """How a parent or guardian proved who they are, as strongly as for sensitive data (two
    independent proofs, 11 CCR § 7062): photo ID and proof of guardianship seen in person, or a
    signed consent with copies of both, confirmed by a call to a number we already held."""

    IN_PERSON = "in_person", "In person at the clinic: photo ID and proof of guardianship"
    SIGNED_AND_CALLED = (
        "signed_and_called",
        "Signed consent with copies of photo ID and proof of guardianship, confirmed by a call "
        "to a number we already held",
    )


class MinorsCase(models.Model):
    """The policy's promise that information about anyone under 18 is removed: a case per person,
    opened by an age signal, closed by erasure (or dismissed by staff with a reason)."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=MinorSource.choices)
    status = models.CharField(max_length=12, choices=MinorStatus.choices, default=MinorStatus.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    consent_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The parent's or guardian's request that opened the case, answered when the case closes.
    request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="rights-requests",
        on_erase=OnErase.ANONYMISE,
        sources=(DataSource.YOU, DataSource.STAFF, DataSource.SOMEONE_FOR_YOU),
        description="That we looked into whether someone was under 18, and what we did.",
        fields={
            "note": Personal(
                "user.demographic.age_range",
                ("essential.legal_obligation",),
                "Legal obligations",
                erased_value="",
            ),
        },
        not_personal=(
            "id",
            "source",
            "status",
            "opened_at",
            "closed_at",
            "request",
            "consent_method",
            "consented_at",
            "consent_withdrawn_at",
        ),
    )

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="one_open_minors_case_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"minors case {self.pk}"


class Correction(models.Model):
    """One piece of information corrected for a request: what it was and what it is now (both
    sealed), how many rows changed, and which recipients were told (11 CCR § 7023(c))."""

    request = models.ForeignKey(DataRequest, on_delete=models.PROTECT, related_name="corrections")
    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=24)
    old_sealed = SealedField(null=True, blank=True)
    old = sealed("old_sealed", codec=TEXT)  # the replaced values, one per line
    new_sealed = SealedField(null=True, blank=True)
    new = sealed("new_sealed", codec=TEXT)
    rows = models.PositiveIntegerField()
    # [{"slug": …, "name": …, "emailed": bool}]: emailed to the recipient's privacy contact, or
    # listed for staff to tell by hand.
    recipients = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="rights-requests",
        on_erase=OnErase.DELETE,
        sources=(DataSource.STAFF,),
        description="Corrections we made at your request: what each piece said before and after.",
        fields={
            "old_sealed": Personal(
                "user.content.private", ("essential.legal_obligation",), "Legal obligations"
            ),
            "new_sealed": Personal(
                "user.content.private", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=("id", "request", "item", "rows", "recipients", "created_at"),
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="one_correction_per_item")
        ]

    def __str__(self) -> str:
        return f"correction {self.pk} ({self.item})"
