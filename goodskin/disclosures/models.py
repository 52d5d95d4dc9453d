"""Who may receive personal information (the register) and every time it was actually given (the
log). The register feeds the public State Privacy Notice; the log feeds each person's access report.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData


class RecipientKind(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", _("Service providers that work for us under contract")
    THIRD_PARTY = "third_party", _("Third parties")
    GOVERNMENT = "government", _("Government authorities, when the law requires it")


class Recipient(models.Model):
    """One recipient in the register. `slug` is what the data map's `recipients` name."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=RecipientKind.choices)
    description_en = models.CharField(max_length=200)
    description_es = models.CharField(max_length=200)
    categories = models.JSONField(default=list)  # data-map category keys they receive
    purpose = models.CharField(max_length=200)
    contract_reference = models.CharField(max_length=80, blank=True)
    # Where we tell the organisation to correct or delete what it holds (Civ. Code §§ 1798.105(c),
    # 1798.106(c)): a role address at the organisation, never a person's own.
    privacy_contact = models.EmailField(blank=True)
    # Under the state laws: a disclosure for money or other value is a "sale"; for cross-context
    # behavioural advertising a "share" (California). Processors under contract are neither.
    is_sale = models.BooleanField(default=False)
    is_share = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal("Organisations, not people.")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class DisclosureKind(models.TextChoices):
    LEGAL_PROCESS = "legal_process", "Subpoena, warrant or court order"
    ENFORCEMENT = "enforcement", "Request from a law-enforcement or regulatory agency"
    FRAUD_REFERRAL = "fraud_referral", "Fraud referral"
    SECURITY_REFERRAL = "security_referral", "Security referral"
    CLAIM = "claim", "To establish, exercise or defend a legal claim"
    PROCESSOR_EXPORT = "processor_export", "Export to a service provider"
    BUSINESS_TRANSFER = "business_transfer", "Merger, sale or bankruptcy transfer"
    DEIDENTIFIED_EXPORT = "deidentified_export", "De-identified export"


class Disclosure(models.Model):
    """One actual disclosure, with who approved it and what went."""

    kind = models.CharField(max_length=24, choices=DisclosureKind.choices)
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="disclosures")
    reference = models.CharField(max_length=120)  # docket, case or ticket number
    categories = models.JSONField(default=list)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # A court or agency may forbid telling the person (e.g. 18 U.S.C. § 2705(b)); until the date,
    # the person's own access report leaves this disclosure out.
    person_may_be_told = models.BooleanField(default=True)
    silent_until = models.DateField(null=True, blank=True)
    covers_everyone = models.BooleanField(default=False)
    k = models.PositiveIntegerField(null=True, blank=True)  # de-identified exports only
    rows = models.PositiveIntegerField(default=0)
    disclosed_at = models.DateTimeField()

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "What was disclosed, to whom and on what authority; the people it concerned are in "
        "DisclosedPerson. References are docket or ticket numbers, never names."
    )

    class Meta:
        # Capabilities (core/doors.py), granted through roles (staff/roles.py).
        permissions = [
            ("view_disclosures", "See the recipient register and the disclosure log"),
            ("record_disclosure", "Record a disclosure"),
            ("export_deidentified", "Export de-identified data"),
            ("record_business_transfer", "Record the transfer of the business to a buyer"),
        ]
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"disclosure {self.pk} ({self.kind})"


class DisclosedPerson(models.Model):
    """One person a disclosure concerned. Erasing the person removes this link; the disclosure
    itself (what, to whom, on what authority, how many people) stays in the log."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="disclosure-log",
        on_erase=OnErase.DELETE,
        sources=(DataSource.STAFF,),
        description="That information about a person was disclosed, when, to whom and why.",
        fields={
            "disclosure": Personal(
                "user.unique_id", ("essential.legal_obligation",), "Legal obligations"
            ),
        },
        not_personal=("id",),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "person"], name="one_entry_per_disclosure_and_person"
            )
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} in disclosure {self.disclosure_id}"
