"""Opening and verifying privacy requests. Keyword-only, atomic, audited.

Intake never reveals whether the clinic holds anything about an address: every request gets the
same receipt and the same code email, and the answer comes only after verification.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions import queue_essential_email, unsubscribe_from_marketing
from goodskin.communications.models import Source
from goodskin.policies.deadlines import deadlines
from goodskin.policies.jurisdictions import UnknownJurisdiction, rules_for
from goodskin.rights.models import (
    OPEN_STATUSES,
    OPT_OUTS,
    Channel,
    DataRequest,
    RequestKind,
    Status,
    Verification,
)
from goodskin.vault.actions import person_for_email
from goodskin.vault.models import Person

CODE_LIFETIME = timedelta(hours=24)
CODE_ATTEMPTS = 5
LOCKOUT = timedelta(hours=1)
DUPLICATE_WINDOW = timedelta(days=45)


class RequestRefused(ValueError):
    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on the phone
    return "GS-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _code_hash(reference: str, code: str) -> str:
    message = f"rights-code\x00{reference}\x00{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _email(request: DataRequest, template: str, **context: object) -> None:
    queue_essential_email(
        person=request.person,
        template=f"rights/email/{template}",
        language=request.language,
        context={"request": request, **context},
        dedupe_key=f"rights:{request.reference}:{template}"
        + (f":{context['attempt']}" if "attempt" in context else ""),
    )


@dataclass(frozen=True)
class Opened:
    request: DataRequest
    needs_code: bool


@transaction.atomic
def open_request(
    *,
    kind: str,
    email: str,
    state: str,
    today: date,
    channel: Channel,
    language: str = "en",
    details: str = "",
    signed_in_person: Person | None = None,
) -> Opened:
    """Record a request, start its clock from the state's rules, and confirm receipt by email.
    Opt-outs are carried out at once; a signed-in person asking about their own account is
    verified by their session; anyone else gets a code by email."""
    if kind not in RequestKind.values:
        raise RequestRefused("Choose what you would like us to do.", field="kind")
    try:
        rules = rules_for(state, on=today)
    except UnknownJurisdiction:
        raise RequestRefused(
            "Choose the state you live in (or “Elsewhere”).", field="state"
        ) from None
    if kind == RequestKind.CORRECT and not details.strip():
        raise RequestRefused("Tell us what is wrong and what it should say.", field="details")
    person = person_for_email(email=email)
    due = deadlines(rules, received=today)
    earlier = (
        DataRequest.objects.filter(
            person=person,
            kind=kind,
            status__in=OPEN_STATUSES,
            received_on__gte=today - DUPLICATE_WINDOW,
        )
        .order_by("pk")
        .first()
    )
    for _ in range(5):
        try:
            with transaction.atomic():
                request = DataRequest(
                    reference=_reference(),
                    person=person,
                    kind=kind,
                    state=state.upper(),
                    rules=rules.code,
                    channel=channel,
                    language=language,
                    received_on=today,
                    receipt_due_on=due.receipt_confirmation,
                    due_on=due.response_due,
                    duplicate_of=earlier,
                )
                request.details = details.strip() or None
                request.save()
            break
        except IntegrityError:  # a reference already taken: draw another
            continue
    record(
        Event.REQUEST_OPENED,
        subject=person,
        target=request,
        data={
            "kind": kind,
            "state": state.lower(),
            "rules": rules.code.lower(),
            "channel": channel,
        },
    )
    _email(request, "received", due_on=request.due_on, rules=rules)
    request.status = Status.RECEIPT_CONFIRMED
    request.save(update_fields=["status"])
    if kind in OPT_OUTS:
        _verify(request, Verification.NOT_NEEDED)
        _fulfil_opt_out(request)
        return Opened(request, needs_code=False)
    if signed_in_person is not None and signed_in_person.pk == person.pk:
        _verify(request, Verification.SIGNED_IN)
        return Opened(request, needs_code=False)
    send_code(request=request)
    return Opened(request, needs_code=True)


def _verify(request: DataRequest, how: Verification) -> None:
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


def _fulfil_opt_out(request: DataRequest) -> None:
    unsubscribe_from_marketing(person=request.person, source=Source.PRIVACY_CHOICES)
    request.status = Status.FULFILLED
    request.closed_on = timezone.localdate()
    request.save(update_fields=["status", "closed_on"])
    record(
        Event.REQUEST_FULFILLED, subject=request.person, target=request, data={"kind": request.kind}
    )
    _email(request, "opt_out_done")


@transaction.atomic
def send_code(*, request: DataRequest) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    request.code_hash = _code_hash(request.reference, code)
    request.code_sent_at = timezone.now()
    request.code_attempts = 0
    request.save(update_fields=["code_hash", "code_sent_at", "code_attempts"])
    record(Event.REQUEST_CODE_SENT, subject=request.person, target=request)
    _email(request, "code", code=code, attempt=request.code_sent_at.isoformat())


class CodeRefused(ValueError):
    """Wrong, expired or locked: the message says which, and never reveals anything else."""


def verify_code(*, reference: str, code: str) -> DataRequest:
    """Check a code. Five wrong tries lock the request for an hour. Unknown references and
    wrong codes get the same answer. A wrong try is committed before the refusal is raised."""
    wrong = CodeRefused("That code does not match. Check the latest email from us and try again.")
    refusal: CodeRefused | None = None
    with transaction.atomic():
        request = (
            DataRequest.objects.select_for_update()
            .filter(reference=reference.strip().upper())
            .first()
        )
        now = timezone.now()
        if request is None or not request.code_hash:
            refusal = wrong
        elif request.locked_until and request.locked_until > now:
            refusal = CodeRefused(
                "Too many wrong codes. Try again in an hour, or ask for a new code."
            )
        elif request.code_sent_at is None or request.code_sent_at + CODE_LIFETIME < now:
            refusal = CodeRefused("This code has expired. Ask for a new one.")
        elif not hmac.compare_digest(
            request.code_hash, _code_hash(request.reference, code.strip())
        ):
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
                data={"attempts": request.code_attempts},
            )
            refusal = wrong
        else:
            _verify(request, Verification.EMAIL_CODE)
    if refusal is not None or request is None:
        raise refusal or wrong
    return request
