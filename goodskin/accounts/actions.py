"""Every change to an account: keyword-only, atomic, audited; email queued in the outbox.

Permission checks are the caller's job (views pass the signed-in user). Audit entries name the
account and the fields that changed, never the values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from goodskin.accounts.age import is_adult
from goodskin.accounts.emails import AccountEmail, queue_account_email
from goodskin.accounts.models import User
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.queries import belongs_to_a_child
from goodskin.core import throttle
from goodskin.core.validation import normalise_email
from goodskin.retention.actions import ErasureOutcome, erase_unless_held
from goodskin.retention.queries import kept_categories
from goodskin.vault.actions import mark_email_verified, person_for_email
from goodskin.vault.models import ErasureReason


class RegistrationRefused(Exception):
    """The person is under 18. Nothing about them was stored."""


@dataclass(frozen=True)
class Registration:
    """What registering did. `account` is None when the address already had one: the visitor is
    told the same thing either way, so the form never reveals who has an account."""

    account: User | None


@transaction.atomic
def refuse_minor(*, date_of_birth: date, today: date) -> bool:
    """True, with an audit entry and nothing else stored, if this birth date is under 18."""
    if is_adult(born=date_of_birth, today=today):
        return False
    record(Event.REGISTRATION_REFUSED_UNDER_AGE, data={"reason": "under_18"})
    return True


def register_account(
    *,
    full_name: str,
    email: str,
    password: str,
    date_of_birth: date,
    language: str,
    today: date,
) -> Registration:
    """Open an account for an adult. Raises RegistrationRefused for a minor, after committing the
    refusal's audit entry (and nothing else)."""
    if refuse_minor(date_of_birth=date_of_birth, today=today):
        raise RegistrationRefused
    address = normalise_email(email)
    if belongs_to_a_child(address):
        # We erased a child's information and promised not to collect it again.
        with transaction.atomic():
            record(Event.REGISTRATION_REFUSED_UNDER_AGE, data={"reason": "known_minor"})
        raise RegistrationRefused
    # The slow part of registering is hashing the password: do it for every address, known or
    # not, so how long the answer takes never tells anyone who already has an account.
    hashed = make_password(password)
    with transaction.atomic():
        existing = User.objects.filter(email=address).first()
        if existing is None:
            try:
                person = person_for_email(email=address)
                with transaction.atomic():
                    account = User(
                        person=person,
                        email=address,
                        full_name=full_name,
                        preferred_language=language,
                        password=hashed,
                    )
                    account.date_of_birth = date_of_birth  # sealed under the person's key
                    account.save(force_insert=True)
            except IntegrityError:  # registered by a concurrent request a moment ago
                existing = User.objects.get(email=address)
            else:
                record(
                    Event.ACCOUNT_REGISTERED,
                    subject=account,
                    target=account,
                    data={"language": language},
                )
                queue_account_email(user=account, kind=AccountEmail.VERIFY_EMAIL)
                return Registration(account=account)
        if existing.is_active:
            record(Event.REGISTRATION_EMAIL_TAKEN, subject=existing, target=existing)
            queue_account_email(user=existing, kind=AccountEmail.ACCOUNT_EXISTS)
        return Registration(account=None)


@transaction.atomic
def verify_email(*, user: User) -> bool:
    """Mark the address proved. Idempotent: returns False when it already was."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    mark_email_verified(person=user.person)
    record(Event.EMAIL_VERIFIED, subject=user, target=user)
    return True


def resend_verification(*, user: User) -> bool:
    """Send a fresh confirmation link, at most three an hour. False when nothing was sent."""
    if user.email_verified:
        return False
    limit = throttle.Limit("verification-resend:account", 3, timedelta(hours=1))
    now = timezone.now()
    with transaction.atomic():
        if not throttle.attempt((limit, str(user.pk)), now=now):
            return False
        queue_account_email(user=user, kind=AccountEmail.VERIFY_EMAIL)
    return True


@transaction.atomic
def change_password(*, user: User, new_password: str, via_reset: bool) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    event = Event.PASSWORD_RESET_COMPLETED if via_reset else Event.PASSWORD_CHANGED
    record(event, subject=user, target=user)
    queue_account_email(user=user, kind=AccountEmail.PASSWORD_CHANGED)


@transaction.atomic
def request_password_reset(*, email: str) -> None:
    """Send a reset link if the address has an open account; say nothing either way."""
    user = User.objects.filter(email=normalise_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    record(Event.PASSWORD_RESET_REQUESTED, subject=user, target=user)
    queue_account_email(user=user, kind=AccountEmail.PASSWORD_RESET)


@transaction.atomic
def update_profile(*, user: User, full_name: str, language: str) -> list[str]:
    changed = []
    if user.full_name != full_name:
        user.full_name = full_name
        changed.append("full_name")
    if user.preferred_language != language:
        user.preferred_language = language
        changed.append("preferred_language")
    if changed:
        user.save(update_fields=changed)
        record(Event.PROFILE_UPDATED, subject=user, target=user, data={"fields": changed})
    return changed


def close_account(*, user: User) -> ErasureOutcome:
    """Close the account by erasing its person: the key is destroyed and every row the data map
    ties to them is deleted or anonymised (the account row stays as an inactive shell, so audit
    entries keep pointing at something). See docs/adr/0002. Under a legal hold the account is
    closed but the data stays until the hold ends, and the person is told why by email."""
    with transaction.atomic():
        record(Event.ACCOUNT_CLOSED, subject=user, target=user)
        User.objects.filter(pk=user.pk).update(is_active=False, closed_at=timezone.now())
        outcome = erase_unless_held(person=user.person, reason=ErasureReason.ACCOUNT_CLOSED)
        if not outcome.erased:
            queue_account_email(
                user=user,
                kind=AccountEmail.CLOSED_BUT_HELD,
                extra={
                    "reasons": sorted({str(hold.get_reason_display()) for hold in outcome.held_by}),
                    "kept": kept_categories(user.person),
                },
            )
    return outcome


def roles_changed(*, accounts: Sequence[int] = (), groups: Sequence[int] = ()) -> None:
    """Raise the roles_generation of these accounts, and of every holder of these roles, so their
    capabilities are read afresh on their next request (accounts.backends)."""
    holders = models.Q(pk__in=list(accounts)) | models.Q(groups__pk__in=list(groups))
    if accounts or groups:
        chosen = User.objects.filter(holders).values("pk")
        User.objects.filter(pk__in=chosen).update(roles_generation=F("roles_generation") + 1)


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    BAD_CREDENTIALS = "bad_credentials"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class SignInLimits:
    pair: throttle.Limit  # one account from one address: tight
    address: throttle.Limit  # one address, any account: guessing across accounts
    account: throttle.Limit  # one account from everywhere: loose, and slowing down


def sign_in_limits() -> SignInLimits:
    config = settings.LOGIN_THROTTLE
    window = timedelta(seconds=config["window_seconds"])
    return SignInLimits(
        pair=throttle.Limit("sign-in:account-address", config["per_account_and_address"], window),
        address=throttle.Limit("sign-in:address", config["per_address"], window),
        account=throttle.Limit(
            "sign-in:account",
            config["per_account"],
            window,
            backoff_after=config["per_account_slows_after"],
        ),
    )


def _pair(address: str, client_address: str) -> str:
    """What the tight limit counts: this account from this network address."""
    return f"{address}\x00{client_address}"


def _reserve_sign_in(*, address: str, client_address: str, now: datetime) -> bool:
    """Reserve one password check, race-free: every attempt is counted before the password is
    looked at, so 25 simultaneous guesses get exactly as many checks as the limits allow.

    The account-wide limit (slowing down after a few failures, then stopping) applies only once
    this address has already tried this account in the window: a person's first try from their
    own device always reaches the password check, whatever an attacker elsewhere has done."""
    limits = sign_in_limits()
    pair = _pair(address, client_address)
    tries_here = throttle.count_and_attempt(
        (limits.pair, pair), (limits.address, client_address), now=now
    )
    if tries_here is None:
        return False
    if tries_here == 1:
        throttle.record(limits.account, address, now=now)
        return True
    if throttle.attempt((limits.account, address), now=now):
        return True
    throttle.refund(limits.pair, pair)
    throttle.refund(limits.address, client_address)
    return False


def check_sign_in(
    *, request: HttpRequest, email: str, password: str, client_address: str
) -> tuple[SignInOutcome, User | None]:
    """Authenticate within the limits (see `_reserve_sign_in`).

    Attempts count whether or not the address has an account, so the answer never reveals which
    addresses do. A success clears this address's count for the account and the account's count,
    and gives the address its attempt back.
    """
    now = timezone.now()
    address = normalise_email(email)
    known = User.objects.filter(email=address).first()
    if not _reserve_sign_in(address=address, client_address=client_address, now=now):
        record(Event.SIGN_IN_THROTTLED, subject=known, data={"reason": "too_many_attempts"})
        return SignInOutcome.THROTTLED, None
    user = authenticate(request, username=address, password=password)
    if not isinstance(user, User):
        with transaction.atomic():
            record(Event.SIGN_IN_FAILED, subject=known, data={"reason": "bad_credentials"})
        return SignInOutcome.BAD_CREDENTIALS, None
    limits = sign_in_limits()
    throttle.clear(limits.pair, _pair(address, client_address))
    throttle.clear(limits.account, address)
    throttle.refund(limits.address, client_address)
    return SignInOutcome.SIGNED_IN, user


def may_request_password_reset(*, email: str, client_address: str) -> bool:
    """Three reset emails an hour per address and twenty per network address: enough for a person,
    too few to flood someone's inbox. Over the limit the visitor sees the same page, and no mail."""
    now = timezone.now()
    hour = timedelta(hours=1)
    per_account = throttle.Limit("password-reset:account", 3, hour)
    per_address = throttle.Limit("password-reset:address", 20, hour)
    address = normalise_email(email)
    return throttle.attempt((per_account, address), (per_address, client_address), now=now)
