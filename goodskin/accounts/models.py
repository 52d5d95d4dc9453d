from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from goodskin.core.datamap import DataSource, NotPersonal, OnErase, Personal, PersonalData
from goodskin.core.validation import normalise_email
from goodskin.vault.actions import person_for_email
from goodskin.vault.fields import DATE, SECRET, SealedField, sealed

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
    # Raised to end every session of the account at once (a second factor reset, deactivation):
    # Django signs each session with get_session_auth_hash, which includes it.
    sessions_generation = models.PositiveIntegerField(default=0)
    # Raised whenever the account's roles, or a role's capabilities, change: the cache of the
    # account's capabilities (accounts.backends) is kept under it.
    roles_generation = models.PositiveIntegerField(default=0)
    # The clinic a clinician works at: the consultations they may read are that clinic's.
    clinic = models.ForeignKey(
        "website.Clinic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
            "sessions_generation",
            "roles_generation",
            "clinic",
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
        permissions = [
            ("manage_staff", "Invite staff, change their roles and reset their second factor"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_any_case"),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(is_active=False),
                name="accounts_user_closed_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"account {self.pk}"

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session signature, which also changes when `sessions_generation` does, so
        ending every session needs no search through them. Unchanged while the generation is 0,
        so no session in use today ends when this ships."""
        if not self.sessions_generation:
            return str(super()._get_session_auth_hash(secret=secret))  # type: ignore[misc]  # private in the stubs
        key_salt = "goodskin.accounts.User.sessions"
        value = f"{self.password}\x00{self.sessions_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def may_receive_marketing(self) -> bool:
        """Marketing can only ever go to an open account whose address has been proved."""
        return self.is_active and self.closed_at is None and self.email_verified


class FactorKind(models.TextChoices):
    AUTHENTICATOR = "authenticator", "Authenticator app"
    PASSKEY = "passkey", "Passkey"


_FACTOR_USE = ("essential.service.security",)


class SecondFactor(models.Model):
    """One way a staff member proves it is them after their password: an authenticator app (a
    TOTP secret, sealed under their key) or a passkey (a public key; the private half never
    leaves their device)."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factors")
    kind = models.CharField(max_length=16, choices=FactorKind.choices)
    secret_sealed = SealedField(null=True, blank=True)
    secret = sealed("secret_sealed", codec=SECRET)
    # The last TOTP time step accepted: a code is good once, never again (RFC 6238 §5.2).
    last_step = models.BigIntegerField(null=True, blank=True)
    credential_id = models.CharField(max_length=1024, blank=True, default="")
    public_key = models.BinaryField(null=True, blank=True)
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="account",
        on_erase=OnErase.DELETE,
        sources=(DataSource.YOU,),
        description="The authenticator app or passkey a member of staff signs in with.",
        fields={
            "kind": Personal("user.authorization.credentials", _FACTOR_USE, "Legal obligations"),
            "secret_sealed": Personal(
                "user.authorization.credentials", _FACTOR_USE, "Legal obligations"
            ),
            "credential_id": Personal(
                "user.authorization.credentials", _FACTOR_USE, "Legal obligations"
            ),
            "public_key": Personal(
                "user.authorization.credentials", _FACTOR_USE, "Legal obligations"
            ),
            "last_used_at": Personal("user.account", _FACTOR_USE, "Legal obligations"),
        },
        not_personal=("id", "user", "last_step", "sign_count", "created_at"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential_id"],
                condition=~models.Q(credential_id=""),
                name="accounts_passkey_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=FactorKind.AUTHENTICATOR, secret_sealed__isnull=False)
                    | models.Q(kind=FactorKind.PASSKEY, public_key__isnull=False)
                    & ~models.Q(credential_id="")
                ),
                name="accounts_factor_is_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} of account {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time code for a lost device, kept only as a keyed hash: shown once, used once."""

    person = models.ForeignKey("vault.Person", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="person",
        retention="account",
        on_erase=OnErase.DELETE,
        sources=(DataSource.OUR_RECORDS,),
        description="Keyed hashes of the one-time recovery codes of a member of staff.",
        fields={"used_at": Personal("user.account", _FACTOR_USE, "Legal obligations")},
        not_personal=("id", "user", "code_hash", "created_at"),
    )

    def __str__(self) -> str:
        return f"recovery code {self.pk} of account {self.user_id}"


class StaffInvitation(models.Model):
    """A one-time link that lets a new member of staff choose a password and enrol a second
    factor. The link's token is kept only as a hash; it works once, for three days."""

    account = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.PositiveBigIntegerField()  # a staff account number, as audit entries
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Which staff account was invited, by which staff account, and when; the hash of the "
        "link's token. The invitee's name and address are on the account."
    )

    def __str__(self) -> str:
        return f"invitation of account {self.account_id}"


class RoleGrant(models.Model):
    """A role someone asked to give a staff account: it is given only once a second member of
    staff approves (approvals.ask / decide), and the grant row says when."""

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")
    asked_by = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    granted_at = models.DateTimeField(null=True, blank=True)

    personal_data: ClassVar[NotPersonal] = NotPersonal(
        "Which role was asked for which staff account, by whom, and when it was given."
    )

    def __str__(self) -> str:
        return f"grant of role {self.role_id} to account {self.account_id}"
