"""Verifying the person behind a request: by session, by an emailed code (limited tries, then a
lockout), and for high-risk requests by two matching details.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.rights.actions.common import code_hash, email_person
from goodskin.rights.actions.minors import open_case_for_child
from goodskin.rights.identity import Details, details_on_file, holds_sensitive, matching
from goodskin.rights.models import (
    DataRequest,
    RequestKind,
    Status,
    Verification,
)

CODE_LIFETIME = timedelta(hours=24)


CODE_ATTEMPTS = 5


LOCKOUT = timedelta(hours=1)


def mark_verified(request: DataRequest, how: Verification) -> None:
    request.status = Status.VERIFIED
    request.verification = how
    request.verified_at = timezone.now()
    request.code_hash = ""
    request.save(update_fields=["status", "verification", "verified_at", "code_hash"])
    record(
        Event.REQUEST_VERIFIED,
        subject=request.person,
        target=request,
        data={"method": str(how) or "none"},
    )
    if request.kind == RequestKind.CHILD:
        open_case_for_child(request)


@transaction.atomic
def fresh_code(request: DataRequest, *, salt: str = "") -> tuple[str, datetime]:
    """A new six-digit code for the request, stored only as its keyed hash, with the tries reset;
    `salt` keeps a download code from ever matching a verification code."""
    code = f"{secrets.randbelow(10**6):06d}"
    sent_at = timezone.now()
    request.code_hash = code_hash(request.reference + salt, code)
    request.code_sent_at = sent_at
    request.code_attempts = 0
    request.save(update_fields=["code_hash", "code_sent_at", "code_attempts"])
    return code, sent_at


def send_code(*, request: DataRequest) -> None:
    code, sent_at = fresh_code(request)
    record(Event.REQUEST_CODE_SENT, subject=request.person, target=request)
    agent = (request.agent or "").split("\n")[0]
    email_person(request, "code", code=code, attempt=sent_at.isoformat(), agent=agent)


def _locked(reference: str) -> DataRequest | None:
    """The request a code or details are for, locked so that concurrent tries count one by one."""
    return (
        DataRequest.objects.select_for_update().filter(reference=reference.strip().upper()).first()
    )


def count_wrong_try(request: DataRequest, *, now: datetime, step: str) -> None:
    """A wrong code or wrong details: counted (never what was tried), locked after the fifth."""
    request.code_attempts += 1
    fields = ["code_attempts"]
    if request.code_attempts >= CODE_ATTEMPTS:
        request.locked_until = now + LOCKOUT
        fields.append("locked_until")
    request.save(update_fields=fields)
    record(
        Event.REQUEST_CODE_FAILED,
        subject=request.person,
        target=request,
        data={"attempts": request.code_attempts, "step": step},
    )


class CodeRefused(ValueError):
    """Wrong, expired or locked: the message says which, and never reveals anything else."""


def verify_code(*, reference: str, code: str) -> DataRequest:
    """Check a code. Five wrong tries lock the request for an hour. Unknown references and
    wrong codes get the same answer. A wrong try is committed before the refusal is raised."""
    wrong = CodeRefused("That code does not match. Check the latest email from us and try again.")
    refusal: CodeRefused | None = None
    with transaction.atomic():
        request = _locked(reference)
        now = timezone.now()
        if request is None or not request.code_hash:
            refusal = wrong
        elif request.locked_until and request.locked_until > now:
            refusal = CodeRefused(
                "Too many wrong codes. Try again in an hour, or ask for a new code."
            )
        elif request.code_sent_at is None or request.code_sent_at + CODE_LIFETIME < now:
            refusal = CodeRefused("This code has expired. Ask for a new one.")
        elif not hmac.compare_digest(request.code_hash, code_hash(request.reference, code.strip())):
            count_wrong_try(request, now=now, step="code")
            refusal = wrong
        elif needs_details(request):
            _code_confirmed(request)
        else:
            mark_verified(request, Verification.EMAIL_CODE)
    if refusal is not None or request is None:
        raise refusal or wrong
    return request


HIGH_ASSURANCE = (RequestKind.ACCESS, RequestKind.PORTABILITY)


def needs_details(request: DataRequest) -> bool:
    """A copy of the specific pieces, or deleting sensitive data, needs two matching details on
    top of the code, when we hold enough to check; with less, a copy is answered with the
    categories instead (and an ordinary deletion goes ahead on the code)."""

    if request.kind in HIGH_ASSURANCE:
        return True
    if request.kind == RequestKind.DELETE:
        return holds_sensitive(request.person) and details_on_file(request.person) >= 2
    return False


def _code_confirmed(request: DataRequest) -> None:
    """The code matched; two details are still to come (or, with fewer than two on file, a copy of
    specific pieces becomes the categories: we cannot be sure enough to hand over more)."""

    request.verification = Verification.EMAIL_CODE
    request.code_hash = ""
    request.code_attempts = 0
    request.save(update_fields=["verification", "code_hash", "code_attempts"])
    record(Event.REQUEST_CODE_CONFIRMED, subject=request.person, target=request)
    if request.kind in HIGH_ASSURANCE and details_on_file(request.person) < 2:
        request.categories_only = True
        request.save(update_fields=["categories_only"])
        mark_verified(request, Verification.EMAIL_CODE)


def awaiting_details(request: DataRequest) -> bool:
    return request.status == Status.RECEIPT_CONFIRMED and request.verification == (
        Verification.EMAIL_CODE
    )


def verify_details(*, reference: str, given: Details) -> DataRequest:
    """The second step for high-risk requests: two of full name, date of birth and phone number
    must match what we hold. Wrong tries share the code's limit and lock."""

    refusal: CodeRefused | None = None
    with transaction.atomic():
        request = _locked(reference)
        now = timezone.now()
        if request is None or not awaiting_details(request):
            refusal = CodeRefused("This request is not waiting for details. Start again.")
        elif request.locked_until and request.locked_until > now:
            refusal = CodeRefused("Too many tries. Try again in an hour.")
        elif given.given < 2:
            refusal = CodeRefused("Give at least two of the three details.")
        elif matching(request.person, given) < 2:
            count_wrong_try(request, now=now, step="details")
            refusal = CodeRefused(
                "These details do not match what we hold. Use them as you gave them to us "
                "(for example when you booked)."
            )
        else:
            mark_verified(request, Verification.DETAILS)
    if refusal is not None or request is None:
        raise refusal or CodeRefused("Start again.")
    return request
