"""The second factor every staff account signs in with (45 CFR 164.312(d)): an authenticator app
(TOTP, RFC 6238), a passkey (WebAuthn), or, for a lost device, a one-time recovery code.

A password alone never makes a staff session. `begin` remembers, in the session, whose password
was right; `finish` signs them in once a factor passes, and stamps the session with the time
(config.middleware ends any staff session without the stamp). High-risk doors ask again through
`step_up` when the stamp is older than STAFF_STEP_UP_MINUTES.

Codes are checked within limits like passwords (a wrong code costs an attempt), an authenticator
code is good once (the last accepted time step is kept), and a passkey's signature counter must
move forward. Recovery codes are kept only as keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from goodskin.accounts.models import FactorKind, RecoveryCode, SecondFactor, User
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core import throttle
from goodskin.core.middleware import SECOND_FACTOR_AT, STAFF_SEEN, STAFF_SINCE
from goodskin.core.network import client_address

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone's clock may be a step either side of ours
RECOVERY_CODES = 10
PENDING = "second_factor_pending"  # session: whose password was right, when, and where next
PENDING_MINUTES = 5
CHALLENGE = "passkey_challenge"
ISSUER = "GoodSkin Clinics"


class FactorRefused(ValueError):
    """A code or passkey that does not pass, with the sentence that says why."""


class Outcome(StrEnum):
    PASSED = "passed"
    REFUSED = "refused"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class Checked:
    outcome: Outcome
    message: str = ""


THROTTLED = Checked(
    Outcome.THROTTLED,
    "Too many wrong codes. For your security, wait 15 minutes and try again, or ask the "
    "clinic's administrator to reset your second factor.",
)


# --- Signing in: the password was right; the second factor finishes it --------------------


def begin(request: HttpRequest, user: User, next_page: str) -> None:
    """Remember that this browser gave `user`'s password, for a few minutes, without signing in."""
    request.session.cycle_key()  # the half-signed-in session gets a fresh id, as login() would
    request.session[PENDING] = {
        "user": user.pk,
        "at": timezone.now().timestamp(),
        "next": next_page,
    }


def pending_user(request: HttpRequest) -> User | None:
    """The account whose password this browser gave in the last few minutes, if it is still an
    active staff account."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if timezone.now().timestamp() - pending["at"] > PENDING_MINUTES * 60:
        del request.session[PENDING]
        return None
    return User.objects.filter(pk=pending["user"], is_active=True, is_staff=True).first()


def finish(request: HttpRequest, user: User) -> str:
    """Sign the person in now that both factors passed; return where they were going."""
    pending = request.session.pop(PENDING, {})
    request.session.pop(CHALLENGE, None)
    login(request, user)  # the one configured backend
    now = timezone.now().timestamp()
    request.session[SECOND_FACTOR_AT] = request.session[STAFF_SINCE] = now
    request.session[STAFF_SEEN] = now
    return str(pending.get("next") or "/console/")


def confirmed_recently(request: HttpRequest) -> bool:
    given = request.session.get(SECOND_FACTOR_AT)
    window = settings.STAFF_STEP_UP_MINUTES * 60
    return given is not None and timezone.now().timestamp() - given <= window


# --- Authenticator apps -----------------------------------------------------------------------


def new_authenticator_secret() -> str:
    return pyotp.random_base32()


def authenticator_link(secret: str, user: User) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(link: str) -> str:
    """The QR code as a data: URI drawn here (the CSP allows data: images; no outside service
    ever sees the secret)."""
    return str(segno.make(link, error="m").svg_data_uri(scale=5, border=2, dark="#1f2a30"))


def current_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _step_of(secret: str, code: str, now: datetime) -> int | None:
    """The time step, within the allowed drift, whose code this is; None if none matches."""
    totp = pyotp.TOTP(secret)
    here = current_step(now)
    for step in range(here - DRIFT_STEPS, here + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


@transaction.atomic
def enrol_authenticator(*, user: User, secret: str, code: str, now: datetime) -> SecondFactor:
    """Keep the authenticator app once it has shown it holds the secret (a right code now)."""
    step = _step_of(secret, _digits(code), now)
    if step is None:
        raise FactorRefused(
            "That code doesn't match. Check the entry in your app says GoodSkin Clinics and "
            "type the six digits it shows now."
        )
    factor = SecondFactor(
        person=user.person, user=user, kind=FactorKind.AUTHENTICATOR, last_step=step
    )
    factor.secret = secret
    factor.last_used_at = now
    factor.save(force_insert=True)
    record(Event.SECOND_FACTOR_ADDED, subject=user, target=factor, data={"kind": factor.kind})
    return factor


def _authenticator_passes(user: User, code: str, now: datetime) -> Checked | None:
    """PASSED for a fresh right code; REFUSED for one already used; None when no app's code
    matches (the code may still be a recovery code)."""
    factors = SecondFactor.objects.select_for_update().filter(
        user=user, kind=FactorKind.AUTHENTICATOR
    )
    for factor in factors:
        step = _step_of(factor.secret, code, now)
        if step is None:
            continue
        if factor.last_step is not None and step <= factor.last_step:
            return Checked(
                Outcome.REFUSED,
                "That code has already been used. Wait for your app to show the next one.",
            )
        factor.last_step, factor.last_used_at = step, now
        factor.save(update_fields=["last_step", "last_used_at"])
        return Checked(Outcome.PASSED)
    return None


# --- Recovery codes ---------------------------------------------------------------------------


def _recovery_hash(code: str) -> str:
    """Recovery codes carry 60 random bits, so a keyed SHA-256 is enough: a slow password hash
    would protect nothing more and make each check cost a second (ADR 0041)."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    key = hashlib.sha256(b"recovery-codes\x00" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def _new_recovery_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def issue_recovery_codes(*, user: User) -> list[str]:
    """Ten new codes, shown once; any earlier unused codes stop working."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(person=user.person, user=user, code_hash=_recovery_hash(code))
        for code in codes
    )
    record(Event.RECOVERY_CODES_ISSUED, subject=user, target=user, data={"count": len(codes)})
    return codes


def _recovery_code_passes(user: User, code: str, now: datetime) -> Checked | None:
    found = RecoveryCode.objects.select_for_update().filter(
        user=user, code_hash=_recovery_hash(code)
    )
    recovery = found.first()
    if recovery is None:
        return None
    if recovery.used_at is not None:
        return Checked(Outcome.REFUSED, "That recovery code has already been used.")
    recovery.used_at = now
    recovery.save(update_fields=["used_at"])
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    record(Event.RECOVERY_CODE_USED, subject=user, target=user, data={"left": left})
    return Checked(Outcome.PASSED)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- Limits -----------------------------------------------------------------------------------


def _limits() -> tuple[throttle.Limit, throttle.Limit]:
    window = timedelta(minutes=15)
    return (
        throttle.Limit("second-factor:account", 5, window, backoff_after=3),
        throttle.Limit("second-factor:address", 20, window),
    )


def _over_the_limits(user: User, address: str, now: datetime) -> Checked | None:
    """Reserve one attempt for a code or passkey; THROTTLED (audited) when none is left."""
    account, network = _limits()
    if throttle.attempt((account, str(user.pk)), (network, address), now=now):
        return None
    record(Event.SECOND_FACTOR_THROTTLED, subject=user, target=user)
    return THROTTLED


def _passed(user: User, address: str) -> None:
    account, network = _limits()
    throttle.clear(account, str(user.pk))
    throttle.refund(network, address)


def check_code(*, user: User, code: str, address: str, now: datetime) -> Checked:
    """An authenticator code or a recovery code, within the limits; audited when refused."""
    if (over := _over_the_limits(user, address, now)) is not None:
        return over
    typed = _digits(code)
    with transaction.atomic():
        checked = None
        if typed.isdigit() and len(typed) == 6:
            checked = _authenticator_passes(user, typed, now)
        elif typed:
            checked = _recovery_code_passes(user, typed, now)
        if checked is None:
            checked = Checked(
                Outcome.REFUSED,
                "That code doesn't match. Type the six digits your app shows now, or one of "
                "your recovery codes.",
            )
        if checked.outcome is Outcome.REFUSED:
            record(Event.SECOND_FACTOR_FAILED, subject=user, target=user)
    if checked.outcome is Outcome.PASSED:
        _passed(user, address)
    return checked


# --- Passkeys ---------------------------------------------------------------------------------


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """The passkey's domain and the origin its browser must report."""
    host = request.get_host()  # already checked against ALLOWED_HOSTS
    domain = settings.WEBAUTHN_RP_ID or split_domain_port(host)[0]
    scheme = "https" if request.is_secure() else "http"
    return domain, f"{scheme}://{host}"


def _passkeys(user: User) -> list[SecondFactor]:
    return list(SecondFactor.objects.filter(user=user, kind=FactorKind.PASSKEY))


def passkey_creation_options(request: HttpRequest, user: User) -> str:
    """Options for navigator.credentials.create(); the challenge waits in the session."""
    domain, _ = relying_party(request)
    options = generate_registration_options(
        rp_id=domain,
        rp_name=ISSUER,
        user_name=user.email,
        user_id=f"staff-{user.pk}".encode(),
        user_display_name=user.full_name or user.email,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(factor.credential_id))
            for factor in _passkeys(user)
        ],
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def passkey_request_options(request: HttpRequest, user: User) -> str:
    """Options for navigator.credentials.get(), allowing this account's passkeys only."""
    domain, _ = relying_party(request)
    options = generate_authentication_options(
        rp_id=domain,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(factor.credential_id))
            for factor in _passkeys(user)
        ],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def _challenge(request: HttpRequest) -> bytes:
    """The challenge this browser was given, used once."""
    waiting = request.session.pop(CHALLENGE, None)
    if not waiting:
        raise FactorRefused("The passkey request ran out. Press the passkey button again.")
    return base64url_to_bytes(waiting)


@transaction.atomic
def enrol_passkey(*, request: HttpRequest, user: User, response: str) -> SecondFactor:
    domain, origin = relying_party(request)
    try:
        verified = verify_registration_response(
            credential=response,
            expected_challenge=_challenge(request),
            expected_rp_id=domain,
            expected_origin=origin,
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError):
        raise FactorRefused(
            "That passkey couldn't be added: it was made for another site, or the device "
            "didn't confirm it was you. Try again."
        ) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if SecondFactor.objects.filter(credential_id=credential_id).exists():
        raise FactorRefused("That passkey is already on an account.")
    factor = SecondFactor.objects.create(
        person=user.person,
        user=user,
        kind=FactorKind.PASSKEY,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        last_used_at=timezone.now(),
    )
    record(Event.SECOND_FACTOR_ADDED, subject=user, target=factor, data={"kind": factor.kind})
    return factor


def _credential_id(response: str) -> str:
    try:
        found = json.loads(response)
        return str(found["id"]) if isinstance(found, dict) else ""
    except (ValueError, KeyError):
        return ""


def check_passkey(*, request: HttpRequest, user: User, response: str, now: datetime) -> Checked:
    """A passkey assertion for this account, within the same limits as codes."""
    address = client_address(request)
    if (over := _over_the_limits(user, address, now)) is not None:
        return over
    domain, origin = relying_party(request)
    refused = Checked(
        Outcome.REFUSED,
        "That passkey wasn't accepted: it belongs to another site or another account, or the "
        "device didn't confirm it was you.",
    )
    with transaction.atomic():
        factor = (
            SecondFactor.objects.select_for_update()
            .filter(user=user, kind=FactorKind.PASSKEY, credential_id=_credential_id(response))
            .first()
        )
        try:
            challenge = _challenge(request)
            if factor is None or factor.public_key is None:
                raise FactorRefused(refused.message)
            verified = verify_authentication_response(
                credential=response,
                expected_challenge=challenge,
                expected_rp_id=domain,
                expected_origin=origin,
                credential_public_key=bytes(factor.public_key),
                credential_current_sign_count=factor.sign_count,
                require_user_verification=True,
            )
        except (FactorRefused, InvalidAuthenticationResponse, InvalidJSONStructure, ValueError):
            record(Event.SECOND_FACTOR_FAILED, subject=user, target=user)
            return refused
        factor.sign_count, factor.last_used_at = verified.new_sign_count, now
        factor.save(update_fields=["sign_count", "last_used_at"])
    _passed(user, address)
    return Checked(Outcome.PASSED)


def check_any(request: HttpRequest, user: User) -> Checked | None:
    """Whichever the form sent, a code or a passkey; None when it sent neither."""
    now = timezone.now()
    passkey = request.POST.get("passkey_response", "")
    if passkey:
        return check_passkey(request=request, user=user, response=passkey, now=now)
    code = request.POST.get("code", "")
    if code.strip():
        return check_code(user=user, code=code, address=client_address(request), now=now)
    return None


def has_factor(user: User) -> bool:
    return SecondFactor.objects.filter(user=user).exists()


def has_passkey(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, kind=FactorKind.PASSKEY).exists()


# --- Asking again before a high-risk action ---------------------------------------------------

# The fields the confirmation form adds; the rest of the original POST is carried through.
OWN_FIELDS = {"code", "passkey_response", "second_factor"}


def step_up(request: HttpRequest) -> HttpResponse | None:
    """None when the second factor was given recently (or is given now, with the action's own
    form); otherwise the page asking for it, carrying the action's fields so nothing typed is
    lost and the action runs once it passes."""
    if confirmed_recently(request):
        return None
    user = request.user
    assert isinstance(user, User)
    checked = check_any(request, user) if request.POST.get("second_factor") else None
    if checked is not None and checked.outcome is Outcome.PASSED:
        request.session[SECOND_FACTOR_AT] = timezone.now().timestamp()
        record(Event.SECOND_FACTOR_CONFIRMED, subject=user, target=user)
        return None
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in OWN_FIELDS
        for value in values
    ]
    status = 403 if checked is None else 429 if checked.outcome is Outcome.THROTTLED else 400
    context: dict[str, Any] = {
        "title": "Confirm it's you",
        "carried": carried,
        "error": checked.message if checked else "",
        "passkey": has_passkey(user),
        "minutes": settings.STAFF_STEP_UP_MINUTES,
    }
    return render(request, "accounts/second_factor/step_up.html", context, status=status)
