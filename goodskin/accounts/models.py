from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from goodskin.core.datamap import DataSource, OnErase, Personal, PersonalData
from goodskin.core.validation import normalise_email
from goodskin.vault.actions import person_for_email
from goodskin.vault.fields import DATE, SealedField, sealed

# Django treats any stored password starting with "!" as unusable; a constant keeps erasure
# idempotent (a random one would look like a change on every run).
UNUSABLE_PASSWORD = UNUSABLE_PASSWORD_PREFIX


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("person", person_for_email(email=email))
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account. Patients are adults (accounts/age.py); staff accounts share the model."""

    person = models.OneToOneField("vault.Person", on_delete=models.PROTECT, related_name="account")
    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    date_of_birth_sealed = SealedField(null=True, blank=True)
    date_of_birth = sealed("date_of_birth_sealed", codec=DATE)
    preferred_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)

    objects: ClassVar[UserManager] = UserManager()

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="account",
        on_erase=OnErase.ANONYMISE,
        sources=(DataSource.YOU,),
        description="Your account: sign-in details and the profile you keep up to date.",
        fields={
            "email": Personal(
                "user.contact.email",
                ("essential.service.authentication", "essential.service.notifications"),
                "Contract",
                recipients=("email-delivery",),
                erased_value=lambda user: f"closed-{user.pk}@closed.invalid",
                corrects="email",
            ),
            "full_name": Personal(
                "user.name", ("essential.service",), "Contract", erased_value="", corrects="name"
            ),
            "date_of_birth_sealed": Personal(
                "user.demographic.date_of_birth",
                ("essential.service", "essential.legal_obligation"),
                "Legal obligations",
                corrects="date_of_birth",
            ),
            "preferred_language": Personal(
                "user.account.settings",
                ("essential.service",),
                "Contract",
                erased_value=settings.LANGUAGE_CODE,
            ),
            "password": Personal(
                "user.authorization.credentials",
                ("essential.service.authentication",),
                "Contract",
                erased_value=UNUSABLE_PASSWORD,
            ),
            "last_login": Personal(
                "user.account", ("essential.service.security",), "Legitimate interests"
            ),
        },
        not_personal=(
            "id",
            "email_verified_at",
            "date_joined",
            "closed_at",
            "is_active",
            "is_staff",
            "is_superuser",
        ),
        also_on_erase={
            "is_active": False,
            "email_verified_at": None,
            "closed_at": lambda user: user.closed_at or timezone.now(),
        },
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_any_case"),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(is_active=False),
                name="accounts_user_closed_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"account {self.pk}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def may_receive_marketing(self) -> bool:
        """Marketing can only ever go to an open account whose address has been proved."""
        return self.is_active and self.closed_at is None and self.email_verified
