"""What visitors send through the website's forms. Messages are sealed under the sender's key."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodskin.core.datamap import DataSource, OnErase, Personal, PersonalData
from goodskin.vault.fields import TEXT, SealedField, sealed


class PreferredTime(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Saturdays")
    ANY = "any", _("Any time")


class Topic(models.TextChoices):
    QUESTION = "question", _("A question about a treatment")
    APPOINTMENT = "appointment", _("An existing appointment")
    PRIVACY = "privacy", _("My personal information or privacy")
    FEEDBACK = "feedback", _("Feedback")
    OTHER = "other", _("Something else")


class Submission(models.Model):
    """What every website form keeps: who sent it, how to reach them, and the sealed message."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=20, blank=True)
    message_sealed = SealedField(null=True, blank=True)
    message = sealed("message_sealed", codec=TEXT)
    findings_sealed = SealedField(null=True, blank=True)
    findings = sealed("findings_sealed", codec=TEXT)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    PERSONAL_FIELDS: ClassVar[dict[str, Personal]] = {
        "full_name": Personal(
            "user.name", ("essential.service",), "Contract", erased_value="", corrects="name"
        ),
        "email": Personal(
            "user.contact.email",
            ("essential.service", "essential.service.notifications"),
            "Contract",
            recipients=("email-delivery",),
            corrects="email",
        ),
        "phone": Personal(
            "user.contact.phone_number", ("essential.service",), "Contract", corrects="phone"
        ),
        "message_sealed": Personal("user.content.private", ("essential.service",), "Contract"),
        "findings_sealed": Personal(
            "user.content.private", ("essential.service.security",), "Legitimate interests"
        ),
    }

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ConsultationRequest(Submission):
    treatment = models.ForeignKey(
        "website.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinic = models.ForeignKey(
        "website.Clinic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preferred_time = models.CharField(max_length=20, choices=PreferredTime.choices)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="submission",
        retention_clock="created_at",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU,),
        description=(
            "Consultation requests: what you would like, where and when, and how to reach you."
        ),
        # What someone writes when asking for a consultation is about their skin: health data
        # (and PHI for HIPAA), unlike a general contact message.
        fields={
            **Submission.PERSONAL_FIELDS,
            "message_sealed": Personal(
                "user.health_and_medical", ("essential.service",), "Contract"
            ),
        },
        not_personal=("id", "treatment", "clinic", "preferred_time", "language", "created_at"),
    )

    class Meta(Submission.Meta):
        permissions = [
            (
                "view_clinic_consultations",
                "See the consultation requests of the clinic you work at",
            ),
        ]

    def __str__(self) -> str:
        return f"consultation request {self.pk}"


class ContactMessage(Submission):
    topic = models.CharField(max_length=20, choices=Topic.choices)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="submission",
        retention_clock="created_at",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU,),
        description="Messages sent through the contact form.",
        fields=Submission.PERSONAL_FIELDS,
        not_personal=("id", "topic", "language", "created_at"),
    )

    class Meta(Submission.Meta):
        pass

    def __str__(self) -> str:
        return f"contact message {self.pk}"


# Every concrete kind of form submission, for code that reads what people told us in any form.
SUBMISSION_MODELS: tuple[type[Submission], ...] = (ConsultationRequest, ContactMessage)
