"""Public content the clinic edits: clinics, treatments, team. Each text has an English and a
Spanish version; `localized` picks the one for the active language."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import translation

from goodskin.core.datamap import NotPersonal


def localized(english: str, spanish: str) -> str:
    if (translation.get_language() or "en").startswith("es") and spanish:
        return spanish
    return english


class ServiceCategory(models.TextChoices):
    INJECTABLES = "injectables", "Injectables"
    LASER = "laser", "Laser"
    FACIALS = "facials", "Facials"
    SKIN_CARE = "skin_care", "Skin care"


class Clinic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=2)
    postal_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=20)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    hours_en = models.TextField(help_text="One line per day range, e.g. 'Mon–Fri 9:00–18:00'.")
    hours_es = models.TextField(blank=True)
    blurb_en = models.TextField()
    blurb_es = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    personal_data: ClassVar[NotPersonal] = NotPersonal("The clinic's public details.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def hours(self) -> list[str]:
        return localized(self.hours_en, self.hours_es).splitlines()

    @property
    def phone_link(self) -> str:
        return "tel:+1" + "".join(digit for digit in self.phone if digit.isdigit())

    @property
    def blurb(self) -> str:
        return localized(self.blurb_en, self.blurb_es)


class Service(models.Model):
    slug = models.SlugField(unique=True)
    category = models.CharField(max_length=20, choices=ServiceCategory.choices)
    name_en = models.CharField(max_length=100)
    name_es = models.CharField(max_length=100, blank=True)
    summary_en = models.TextField()
    summary_es = models.TextField(blank=True)
    duration_minutes = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    personal_data: ClassVar[NotPersonal] = NotPersonal("The treatments the clinic offers.")

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localized(self.name_en, self.name_es)

    @property
    def summary(self) -> str:
        return localized(self.summary_en, self.summary_es)


class TeamMember(models.Model):
    """A clinician shown on the public site. Their name and credentials are published with their
    consent as part of their employment; this is the clinic's public content, not patient data."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    credential = models.CharField(max_length=20, help_text="PA-C, NP, LE …")
    role_en = models.CharField(max_length=100)
    role_es = models.CharField(max_length=100, blank=True)
    bio_en = models.TextField()
    bio_es = models.TextField(blank=True)
    clinics = models.ManyToManyField(Clinic, related_name="team")
    order = models.PositiveSmallIntegerField(default=0)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Clinicians' professional profiles, published with their agreement as staff; "
        "not patient or visitor data."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def role(self) -> str:
        return localized(self.role_en, self.role_es)

    @property
    def bio(self) -> str:
        return localized(self.bio_en, self.bio_es)

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in self.name.split()[:2]).upper()


class ContentVersion(models.Model):
    """One row that says when the public content last changed. Database triggers on the tables
    above move it on any insert, update or delete, however the change is made (console, admin,
    shell, a restore), so a kept page shell (website/shell.py) is keyed by one tiny read."""

    version = models.BigIntegerField(default=0)
    changed_at = models.CharField(max_length=40, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "A counter and a time: when the treatments, team or clinics last changed."
    )

    def __str__(self) -> str:
        return f"content version {self.version}"
