"""Opening and verifying privacy requests. Keyword-only, atomic, audited.

Intake never reveals whether the clinic holds anything about an address: every request gets the
same receipt and the same code email, and the answer comes only after verification.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions import (
    lift_marketing_pause,
    pause_marketing,
    queue_email_to_address,
    queue_essential_email,
    queue_farewell_email,
    release_farewell,
    suppress_as_minor,
    unsubscribe_from_marketing,
)
from goodskin.communications.delivery import cancel_farewell
from goodskin.communications.models import PauseReason, Source
from goodskin.consent.actions import opt_out_everywhere
from goodskin.core import throttle
from goodskin.core.validation import normalise_email
from goodskin.disclosures.models import Recipient
from goodskin.disclosures.queries import disclosures_about
from goodskin.jurisdictions.deadlines import deadlines
from goodskin.jurisdictions.privacy import PROMISE, UnknownJurisdiction, rules_for
from goodskin.retention.actions import erase_unless_held
from goodskin.retention.queries import kept_categories
from goodskin.rights.fulfil import build_report
from goodskin.rights.identity import Details, details_on_file, holds_sensitive, matching
from goodskin.rights.models import (
    OPEN_STATUSES,
    OPT_OUTS,
    Channel,
    ConsentMethod,
    Correction,
    DataRequest,
    MinorsCase,
    MinorSource,
    MinorStatus,
    RequestKind,
    Status,
    Verification,
)
from goodskin.rights.queries import due_soon, minors_waiting
from goodskin.vault.actions import person_for_email
from goodskin.vault.corrections import LABELS as CORRECTION_LABELS
from goodskin.vault.corrections import Change, Item, correct
from goodskin.vault.models import ErasureReason, Person

CODE_LIFETIME = timedelta(hours=24)
CODE_ATTEMPTS = 5
LOCKOUT = timedelta(hours=1)
DUPLICATE_WINDOW = timedelta(days=45)


class RequestRefused(ValueError):
    def __init__(self, message: str, *, field: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


# Each request emails its address at once (a receipt, often a code): without a limit per address,
# anyone could fill a stranger's inbox by sending requests in their name from the open form or API.
REQUESTS_PER_ADDRESS = throttle.Limit("rights:target-address", 3, timedelta(hours=1))


def _reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on the phone
    return "GS-" + "".join(secrets.choice(alphabet) for _position in range(8))


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
class Document:
    """A signed permission (agent) or proof of guardianship (parent), already checked by type."""

    content: bytes
    content_type: str


@dataclass(frozen=True)
class Agent:
    name: str
    email: str


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
    correct_items: Sequence[str] = (),
    signed_in_person: Person | None = None,
    appeal_of: str = "",
    agent: Agent | None = None,
    document: Document | None = None,
    child_email: str = "",
) -> Opened:
    """Record a request, start its clock from the state's rules, and confirm receipt by email.
    Opt-outs are carried out at once; a signed-in person asking about their own account is
    verified by their session; anyone else gets a code by email.

    An authorised agent must attach the person's signed permission; everything, including the
    code, goes to the person's own address, so the request goes ahead only if the person confirms
    (11 CCR § 7063). A parent gives their own address and their child's."""
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
    if set(correct_items) - {item.value for item in Item}:
        raise RequestRefused("Choose from the pieces of information listed.", field="correct_items")
    if agent is not None and document is None:
        raise RequestRefused(
            "An authorised agent must attach the person's signed permission.", field="document"
        )
    if kind == RequestKind.CHILD:
        if agent is not None:
            raise RequestRefused(
                "A parent or guardian asks in their own name: untick “authorised agent”.",
                field="agent",
            )
        if not child_email:
            raise RequestRefused("Give your child's email address.", field="child_email")
        if normalise_email(child_email) == normalise_email(email):
            raise RequestRefused(
                "Give your own address above and your child's address here.", field="child_email"
            )
    # The limit guards strangers' inboxes: a signed-in person asking about themselves, and
    # staff entering a letter or a call, are not strangers.
    if channel in {Channel.WEB, Channel.API} and not throttle.attempt(
        (REQUESTS_PER_ADDRESS, normalise_email(email)), now=timezone.now()
    ):
        raise RequestRefused(
            _(
                "We already have several requests for this email address from the last hour. "
                "Please look for our emails in that inbox, or try again later."
            ),
            field="email",
            status=429,
        )
    appealed = None
    if kind == RequestKind.APPEAL:
        # Before anyone is created: an appeal refused here must leave nothing behind (a new
        # person's key lives in the keyring database, which this transaction cannot undo).
        known = Person.objects.filter(email=normalise_email(email)).first()
        appealed = _appealed(reference=appeal_of, person=known)
    person = person_for_email(email=email)
    # Requests for one person queue up here, so two sent at the same moment cannot both miss
    # each other in the duplicate check below.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    due = deadlines(rules, received=today)
    response_due = due.response_due
    if appealed is not None:
        rules = rules_for(appealed.rules, on=appealed.received_on)
        response_due = today + timedelta(
            days=rules.appeal_response_days or PROMISE.appeal_response_days or 45
        )
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
    for _draw in range(5):
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
                    due_on=response_due,
                    duplicate_of=earlier,
                    appeal_of=appealed,
                    document_type=document.content_type if document else "",
                )
                request.details = details.strip() or None
                request.agent = f"{agent.name}\n{agent.email}" if agent else None
                request.document = document.content if document else None
                request.child_email = normalise_email(child_email) if child_email else None
                if kind == RequestKind.CORRECT:
                    request.correct_items = [item for item in Item if item in correct_items]
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
            "agent": agent is not None,
        },
    )
    _email(
        request, "received", due_on=request.due_on, rules=rules, agent=agent.name if agent else ""
    )
    request.status = Status.RECEIPT_CONFIRMED
    request.save(update_fields=["status"])
    if kind in OPT_OUTS:
        _verify(request, Verification.NOT_NEEDED)
        _fulfil_opt_out(request)
        return Opened(request, needs_code=False)
    if agent is None and signed_in_person is not None and signed_in_person.pk == person.pk:
        _verify(request, Verification.SIGNED_IN)
        return Opened(request, needs_code=False)
    send_code(request=request)
    return Opened(request, needs_code=True)


def _appealed(*, reference: str, person: Person | None) -> DataRequest:
    """The decided request an appeal is about: the same answer whether the reference does not
    exist or belongs to someone else."""
    appealed = (
        DataRequest.objects.filter(
            reference=reference.strip().upper(),
            person=person,
            status__in=[Status.DENIED, Status.FULFILLED],
        ).first()
        if person is not None
        else None
    )
    if appealed is None:
        raise RequestRefused(
            "We cannot find a decided request with that reference for this email address. "
            "Copy the reference (GS-…) from our answer.",
            field="appeal_of",
        )
    return appealed


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
    if request.kind == RequestKind.CHILD:
        _open_case_for_child(request)


def _open_case_for_child(request: DataRequest) -> None:
    """A verified parent's request opens a minors case for the child's address (known to us or
    not: the answer is the same either way) and waits for staff to decide it."""

    child = person_for_email(email=request.child_email or "")
    case = open_minors_case(person=child, source=MinorSource.PARENT)
    if case.request_id is None:
        case.request = request
        case.save(update_fields=["request"])
    request.status = Status.IN_PROGRESS
    request.child_email = None  # the case holds the link now
    request.save(update_fields=["status", "child_sealed"])


def _opt_out(request: DataRequest) -> None:
    """Stop sale, sharing, targeted advertising and marketing at once: the mail and text
    suppression, and the consent records (so the GPP string) of every browser the person uses."""

    unsubscribe_from_marketing(person=request.person, source=Source.PRIVACY_CHOICES)
    opt_out_everywhere(person=request.person, language=request.language)


def _fulfil_opt_out(request: DataRequest) -> None:
    _opt_out(request)
    request.status = Status.FULFILLED
    request.closed_on = timezone.localdate()
    request.save(update_fields=["status", "closed_on"])
    record(
        Event.REQUEST_FULFILLED, subject=request.person, target=request, data={"kind": request.kind}
    )
    _email(request, "opt_out_done")


@transaction.atomic
def _fresh_code(request: DataRequest, *, salt: str = "") -> tuple[str, datetime]:
    """A new six-digit code for the request, stored only as its keyed hash, with the tries reset;
    `salt` keeps a download code from ever matching a verification code."""
    code = f"{secrets.randbelow(10**6):06d}"
    sent_at = timezone.now()
    request.code_hash = _code_hash(request.reference + salt, code)
    request.code_sent_at = sent_at
    request.code_attempts = 0
    request.save(update_fields=["code_hash", "code_sent_at", "code_attempts"])
    return code, sent_at


def send_code(*, request: DataRequest) -> None:
    code, sent_at = _fresh_code(request)
    record(Event.REQUEST_CODE_SENT, subject=request.person, target=request)
    agent = (request.agent or "").split("\n")[0]
    _email(request, "code", code=code, attempt=sent_at.isoformat(), agent=agent)


def _locked(reference: str) -> DataRequest | None:
    """The request a code or details are for, locked so that concurrent tries count one by one."""
    return (
        DataRequest.objects.select_for_update().filter(reference=reference.strip().upper()).first()
    )


def _count_wrong_try(request: DataRequest, *, now: datetime, step: str) -> None:
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
        elif not hmac.compare_digest(
            request.code_hash, _code_hash(request.reference, code.strip())
        ):
            _count_wrong_try(request, now=now, step="code")
            refusal = wrong
        elif needs_details(request):
            _code_confirmed(request)
        else:
            _verify(request, Verification.EMAIL_CODE)
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
        _verify(request, Verification.EMAIL_CODE)


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
            _count_wrong_try(request, now=now, step="details")
            refusal = CodeRefused(
                "These details do not match what we hold. Use them as you gave them to us "
                "(for example when you booked)."
            )
        else:
            _verify(request, Verification.DETAILS)
    if refusal is not None or request is None:
        raise refusal or CodeRefused("Start again.")
    return request


class TransitionRefused(ValueError):
    """The request is not in a state that allows this step; nothing changed."""


REPORT_LINK_DAYS = 7
_REPORT_SALT = "goodskin.rights.report"


def report_link(request: DataRequest) -> str:
    token = signing.TimestampSigner(salt=_REPORT_SALT).sign(request.reference)
    return settings.SITE_URL + reverse("rights:report", args=[token])


def read_report_token(token: str) -> str:
    """The request reference in a report link; BadSignature when forged or expired."""

    value: str = signing.TimestampSigner(salt=_REPORT_SALT).unsign(
        token, max_age=timedelta(days=REPORT_LINK_DAYS)
    )
    return value


# A report link alone does not open the report: whoever downloads it signs in to the person's
# account or enters a fresh code sent to the person's address, so a forwarded or leaked link,
# or an old email read by someone else, is not enough.
REPORT_CODE_LIFETIME = timedelta(minutes=30)
REPORT_CODES = throttle.Limit("rights:report-code", 3, timedelta(hours=1))


_REPORT_CODE_SALT = ":report"


def _report_code_hash(reference: str, code: str) -> str:
    return _code_hash(reference + _REPORT_CODE_SALT, code)


@transaction.atomic
def send_report_code(*, request: DataRequest) -> bool:
    """Email a fresh code for downloading the report; False when three were sent this hour."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    now = timezone.now()
    if not throttle.attempt((REPORT_CODES, request.reference), now=now):
        return False
    code, sent_at = _fresh_code(request, salt=_REPORT_CODE_SALT)
    record(Event.REQUEST_CODE_SENT, subject=request.person, target=request, data={"step": "report"})
    _email(request, "report_code", code=code, attempt=sent_at.isoformat())
    return True


def confirm_report_code(*, request: DataRequest, code: str) -> None:
    """Check a download code; five wrong tries lock it for an hour. Raises CodeRefused."""
    refusal: CodeRefused | None = None
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request.pk)
        now = timezone.now()
        if request.locked_until and request.locked_until > now:
            refusal = CodeRefused(_("Too many wrong codes. Try again in an hour."))
        elif (
            not request.code_hash
            or request.code_sent_at is None
            or request.code_sent_at + REPORT_CODE_LIFETIME < now
        ):
            refusal = CodeRefused(_("This code has expired. Ask for a new one."))
        elif not hmac.compare_digest(
            request.code_hash, _report_code_hash(request.reference, code.strip())
        ):
            _count_wrong_try(request, now=now, step="report")
            refusal = CodeRefused(_("That code does not match. Check the latest email from us."))
        else:
            request.code_hash = ""  # used once
            request.save(update_fields=["code_hash"])
    if refusal is not None:
        raise refusal


@transaction.atomic
def extend_request(*, request: DataRequest, reason: str, today: date) -> DataRequest:
    """Use the one extension the law allows, telling the person why before the first deadline."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OPEN_STATUSES:
        raise TransitionRefused("This request is closed.")
    if request.extended_due_on is not None:
        raise TransitionRefused("This request has already been extended once.")
    if today > request.due_on:
        raise TransitionRefused("The first deadline has passed: an extension is no longer allowed.")
    if not reason.strip():
        raise TransitionRefused("Give the reason the person will read.")
    rules = rules_for(request.rules, on=request.received_on)
    request.extended_due_on = request.due_on + timedelta(days=rules.extension_days)
    request.extension_reason = reason.strip()
    request.status = Status.EXTENDED
    request.save(update_fields=["extended_due_on", "extension_reason", "status"])
    record(
        Event.REQUEST_EXTENDED,
        subject=request.person,
        target=request,
        data={"days": rules.extension_days},
    )
    _email(request, "extended")
    return request


@transaction.atomic
def deny_request(*, request: DataRequest, reason: str, today: date) -> DataRequest:
    """Refuse, with the reasons and how to appeal (and to whom to complain if the appeal fails)."""
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OPEN_STATUSES:
        raise TransitionRefused("This request is closed.")
    if not reason.strip():
        raise TransitionRefused("Give the reasons the person will read.")
    rules = rules_for(request.rules, on=request.received_on)
    request.status = Status.DENIED
    request.outcome_note = reason.strip()
    request.closed_on = today
    request.save(update_fields=["status", "outcome_note", "closed_on"])
    record(
        Event.REQUEST_DENIED, subject=request.person, target=request, data={"kind": request.kind}
    )
    _email(request, "denied", rules=rules)
    return request


REPORT_KINDS = (
    RequestKind.KNOW,
    RequestKind.ACCESS,
    RequestKind.PORTABILITY,
    RequestKind.LIST_THIRD_PARTIES,
)


def fulfil_request(*, request: DataRequest, today: date, note: str = "") -> DataRequest:
    """Carry out a verified request: a report for know/access/portability/third parties, erasure
    (unless a legal hold keeps the data, which the person is told line by line) for delete."""

    request = DataRequest.objects.get(pk=request.pk)
    if request.status not in {Status.VERIFIED, Status.IN_PROGRESS, Status.EXTENDED}:
        raise TransitionRefused("Only a verified, open request can be fulfilled.")
    if request.kind in REPORT_KINDS:
        with transaction.atomic():
            request.report = build_report(
                request.person,
                kind=RequestKind.KNOW if request.categories_only else request.kind,
                reference=request.reference,
                today=today,
                language=request.language,
            )
            request.status = Status.FULFILLED
            request.closed_on = today
            request.save(update_fields=["report_sealed", "status", "closed_on"])
            record(
                Event.REQUEST_FULFILLED,
                subject=request.person,
                target=request,
                data={"kind": request.kind},
            )
            _email(request, "report_ready", link=report_link(request), days=REPORT_LINK_DAYS)
        return request
    if request.kind == RequestKind.DELETE:
        return _fulfil_deletion(request, today=today)
    if request.kind == RequestKind.CORRECT:
        raise TransitionRefused(
            "Use the correction form: it changes the pieces named and tells whoever holds them."
        )
    if request.kind == RequestKind.APPEAL:
        if not note.strip():
            raise TransitionRefused("Describe the appeal decision: the person will read it.")
        with transaction.atomic():
            request.status = Status.FULFILLED
            request.closed_on = today
            request.outcome_note = note.strip()
            request.save(update_fields=["status", "closed_on", "outcome_note"])
            record(
                Event.REQUEST_FULFILLED,
                subject=request.person,
                target=request,
                data={"kind": request.kind},
            )
            if request.appeal_of is not None:
                _reopen(request.appeal_of, due_on=request.current_due_on)
            _email(request, "completed")
        return request
    if request.kind == RequestKind.CHILD:
        raise TransitionRefused(
            "Decide the minors case under Possible minors: the parent is answered when it closes."
        )
    raise TransitionRefused("This kind of request is completed by staff in the console.")


@dataclass(frozen=True)
class Corrected:
    request: DataRequest
    changes: list[Change]
    by_hand: list[str]  # recipients with no privacy contact: staff tell them themselves


def _recipients_told(person: Person, change: Change, *, today: date) -> list[Recipient]:
    """Who received the corrected piece: the recipients its columns declare in the data map, and
    every recipient a logged disclosure about the person sent that category to."""
    slugs = {slug for column in change.columns for slug in column.personal.recipients}
    categories = {column.personal.category for column in change.columns}
    for disclosure in disclosures_about(person, for_the_person=False, today=today):
        if any(
            held == sent or held.startswith(sent + ".")
            for held in categories
            for sent in disclosure.categories
        ):
            slugs.add(disclosure.recipient.slug)
    return list(Recipient.objects.filter(slug__in=slugs, active=True).order_by("name"))


def apply_correction(
    *, request: DataRequest, changes: dict[Item, str | date], note: str, today: date
) -> Corrected:
    """Correct exactly the pieces given, everywhere we hold them, and close the request.

    One transaction: each piece is replaced in every column the data map ties to it, the old and
    new values are kept sealed (a `Correction` row), every recipient that received the piece is
    told (emailed at its privacy contact, or listed for staff), the person is told what changed
    (and, when the address itself changed, the old address is told too, so a takeover cannot
    hide), and one audit entry names the pieces, never their values."""
    if not changes and not note.strip():
        raise TransitionRefused(
            "Enter the corrected value, or describe what was done: the person will read it."
        )
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request.pk)
        if request.kind != RequestKind.CORRECT:
            raise TransitionRefused("Only a correction request is corrected here.")
        if request.status not in {Status.VERIFIED, Status.IN_PROGRESS, Status.EXTENDED}:
            raise TransitionRefused("Only a verified, open request can be fulfilled.")
        person = Person.objects.select_for_update().get(pk=request.person_id)
        old_address = person.email
        applied = [
            correct(person=person, item=item, value=value) for item, value in changes.items()
        ]
        by_hand: set[str] = set()
        told: set[str] = set()
        for change in applied:
            entries = []
            for recipient in _recipients_told(person, change, today=today):
                entries.append(
                    {
                        "slug": recipient.slug,
                        "name": recipient.name,
                        "emailed": bool(recipient.privacy_contact),
                    }
                )
                told.add(recipient.slug)
                if recipient.privacy_contact:
                    queue_email_to_address(
                        address=recipient.privacy_contact,
                        template="rights/email/recipient_correction",
                        language="en",
                        context={
                            "request": request,
                            "recipient": recipient,
                            "label": str(CORRECTION_LABELS[change.item]),
                            "old": change.old,
                            "new": change.new,
                        },
                        dedupe_key=f"rights:{request.reference}:{change.item}:{recipient.slug}",
                    )
                else:
                    by_hand.add(recipient.name)
            correction = Correction(
                request=request, person=person, item=change.item, rows=sum(change.rows.values())
            )
            correction.old = "\n".join(change.old)
            correction.new = change.new
            correction.recipients = entries
            correction.save()
        request.status = Status.FULFILLED
        request.closed_on = today
        request.outcome_note = note.strip()
        request.save(update_fields=["status", "closed_on", "outcome_note"])
        record(
            Event.INFORMATION_CORRECTED,
            subject=person,
            target=request,
            data={
                "items": [change.item.value for change in applied],
                "rows": sum(sum(change.rows.values()) for change in applied),
                "recipients_told": sorted(told),
            },
        )
        with translation.override(request.language):
            labels = [str(CORRECTION_LABELS[change.item]) for change in applied]
        _email(request, "corrected", labels=labels, told=bool(told))
        if old_address and person.email != old_address:
            queue_email_to_address(
                address=old_address,
                template="rights/email/corrected_old_address",
                language=request.language,
                context={"request": request},
                dedupe_key=f"rights:{request.reference}:corrected:old-address",
            )
    return Corrected(request=request, changes=applied, by_hand=sorted(by_hand))


def _farewell_key(request: DataRequest) -> str:
    return f"rights:{request.reference}:deleted"


def _fulfil_deletion(request: DataRequest, *, today: date) -> DataRequest:
    """Erase the person, then tell them, with the request marked done last.

    Three steps, each its own transaction and each safe to run again (`resume_deletions` does,
    after a crash): `begin_deletion` writes the farewell email, waiting, to the address captured
    now and sealed under a key of its own (the person's key is about to go), and notes that
    erasure has started; the erasure itself, journalled in the keyring first; `finish_deletion`
    releases the farewell and marks the request fulfilled. A crash between any two leaves a
    request that is not done, with a journal entry to finish from and the words still waiting:
    never a "done" request with nothing erased."""

    request = begin_deletion(request=request)
    if request.status == Status.FULFILLED:
        return request
    outcome = erase_unless_held(person=request.person, reason=ErasureReason.DELETION_REQUEST)
    return finish_deletion(
        request=request, today=today, erased=outcome.erased, held_by=outcome.held_by
    )


@transaction.atomic
def begin_deletion(*, request: DataRequest) -> DataRequest:
    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == Status.FULFILLED or request.erasure_started_at is not None:
        return request
    person = request.person
    if person.email:
        queue_farewell_email(
            address=person.email,
            template="rights/email/deleted",
            language=request.language,
            context={"reference": request.reference, "deleted": kept_categories(person)},
            dedupe_key=_farewell_key(request),
        )
    request.erasure_started_at = timezone.now()
    request.save(update_fields=["erasure_started_at"])
    return request


@transaction.atomic
def finish_deletion(
    *, request: DataRequest, today: date, erased: bool, held_by: list[Any]
) -> DataRequest:

    request = DataRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == Status.FULFILLED:
        return request  # a resumed run finished it first
    if erased:
        release_farewell(dedupe_key=_farewell_key(request))
    else:
        # A legal hold keeps the data: no farewell, but what is kept and why.
        cancel_farewell(dedupe_key=_farewell_key(request))
        request.outcome_note = "Kept under a legal hold until it is released"
        _email(
            request,
            "delete_held",
            kept=kept_categories(request.person),
            reasons=sorted({str(hold.get_reason_display()) for hold in held_by}),
        )
    request.status = Status.FULFILLED
    request.closed_on = today
    request.save(update_fields=["status", "closed_on", "outcome_note"])
    record(
        Event.REQUEST_FULFILLED,
        subject=request.person,
        target=request,
        data={"kind": "delete", "erased": erased},
    )
    return request


def resume_deletions(*, today: date) -> int:
    """Finish every deletion a crash left half done (erasure started, request not marked done).
    Returns how many were finished."""
    unfinished = DataRequest.objects.filter(
        kind=RequestKind.DELETE, erasure_started_at__isnull=False
    ).exclude(status=Status.FULFILLED)
    finished = 0
    for request in unfinished:
        _fulfil_deletion(request, today=today)
        finished += 1
    return finished


def _reopen(appealed: DataRequest, *, due_on: date) -> None:
    """An appeal decided in the person's favour: the appealed request goes back to the queue,
    verified, due by the appeal's own answer date (the law's clock for acting on an appeal)."""
    appealed = DataRequest.objects.select_for_update().get(pk=appealed.pk)
    if appealed.status not in {Status.DENIED, Status.FULFILLED}:
        return
    appealed.status = Status.IN_PROGRESS
    appealed.closed_on = None
    appealed.extended_due_on = max(due_on, appealed.current_due_on)
    appealed.save(update_fields=["status", "closed_on", "extended_due_on"])
    record(Event.REQUEST_REOPENED, subject=appealed.person, target=appealed)


@transaction.atomic
def record_document_opened(*, request: DataRequest) -> None:
    record(Event.REQUEST_DOCUMENT_OPENED, subject=request.person, target=request)


@transaction.atomic
def record_report_download(*, request: DataRequest) -> None:
    record(Event.REQUEST_REPORT_DOWNLOADED, subject=request.person, target=request)


def remind_staff(*, today: date) -> int:
    """Once a day: email the privacy officer the open requests that are overdue or due within
    seven days, soonest first. Returns how many were listed (0: no email)."""

    listed = list(due_soon(today=today))
    minors = minors_waiting()
    if not listed and not minors:
        return 0
    with transaction.atomic():
        queue_essential_email(
            person=person_for_email(email=settings.PRIVACY_OFFICER_EMAIL),
            template="rights/email/staff_reminder",
            language="en",
            context={"requests": listed, "minors": minors, "today": today},
            dedupe_key=f"rights-reminder:{today.isoformat()}",
        )
        record(Event.REQUEST_REMINDER_SENT, data={"requests": len(listed), "minors": len(minors)})
    return len(listed) + len(minors)


@transaction.atomic
def open_minors_case(*, person: Person, source: str) -> MinorsCase:
    """Open (or return the already open) case for someone who may be under 18."""

    case = MinorsCase.objects.filter(person=person, status=MinorStatus.OPEN).first()
    if case is not None:
        return case
    case = MinorsCase.objects.create(person=person, source=source, opened_at=timezone.now())
    record(Event.MINORS_CASE_OPENED, subject=person, target=case, data={"source": source})
    pause_marketing(person=person, reason=PauseReason.POSSIBLE_MINOR)
    return case


def erase_minor(*, case: MinorsCase) -> bool:
    """Erase everything about the child and keep only a tombstone: keyed fingerprints of their
    address and number, so they are never written to or marketed to again. False when a legal
    hold postpones the erasure (the case stays open)."""

    person = case.person
    suppress_as_minor(person=person)
    outcome = erase_unless_held(person=person, reason=ErasureReason.MINOR)
    if not outcome.erased:
        return False
    with transaction.atomic():
        case.status = MinorStatus.ERASED
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at"])
        record(Event.MINORS_CASE_CLOSED, subject=person, target=case, data={"outcome": "erased"})
        _answer_parent(case)
    return True


def _answer_parent(case: MinorsCase) -> None:
    """The parent gets one answer whatever the case found (erased, or not a minor), so it never
    tells them anything about an adult, nor whether the address was known to us."""
    if case.request is None or case.request.status not in OPEN_STATUSES:
        return
    request = case.request
    request.status = Status.FULFILLED
    request.closed_on = timezone.localdate()
    request.save(update_fields=["status", "closed_on"])
    record(Event.REQUEST_FULFILLED, subject=request.person, target=request, data={"kind": "child"})
    _email(request, "child_done")


@transaction.atomic
def dismiss_minors_case(*, case: MinorsCase, note: str) -> None:
    if not note.strip():
        raise TransitionRefused("Say why this person is not a minor (e.g. ID seen at the clinic).")
    case.status = MinorStatus.DISMISSED
    case.closed_at = timezone.now()
    case.note = note.strip()
    case.save(update_fields=["status", "closed_at", "note"])
    record(
        Event.MINORS_CASE_CLOSED, subject=case.person, target=case, data={"outcome": "dismissed"}
    )
    lift_marketing_pause(person=case.person, reason=PauseReason.POSSIBLE_MINOR)
    _answer_parent(case)


def close_unverified(*, today: date) -> int:
    """Requests still unverified when their answer is due are closed, never dropped silently: the
    person is told we could not confirm it was them, a deletion request is treated as an
    opt-out of sale, sharing and marketing (as California's rules on requests to delete ask,
    11 CCR § 7022), and they may ask again. Returns how many were closed."""
    closed = 0
    for request in DataRequest.objects.filter(
        status=Status.RECEIPT_CONFIRMED,
        verification=Verification.EMAIL_CODE,
        kind__in=HIGH_ASSURANCE,
        due_on__lt=today,
    ):
        # The address is theirs but the details never matched: the categories, not the pieces.
        with transaction.atomic():
            request.categories_only = True
            request.save(update_fields=["categories_only"])
            _verify(request, Verification.EMAIL_CODE)
        fulfil_request(request=request, today=today)
        closed += 1
    stale = DataRequest.objects.filter(
        status__in=[Status.RECEIVED, Status.RECEIPT_CONFIRMED], due_on__lt=today
    ).select_related("person")
    for request in stale:
        with transaction.atomic():
            treated_as_opt_out = request.kind == RequestKind.DELETE
            if treated_as_opt_out:
                _opt_out(request)
            request.status = Status.DENIED
            request.closed_on = today
            request.outcome_note = "We could not confirm the request came from you" + (
                "; we treated it as an opt-out of sale, sharing and marketing"
                if treated_as_opt_out
                else ""
            )
            request.save(update_fields=["status", "closed_on", "outcome_note"])
            record(
                Event.REQUEST_DENIED,
                subject=request.person,
                target=request,
                data={"kind": request.kind, "reason": "unverified", "opt_out": treated_as_opt_out},
            )
            _email(request, "unverified", treated_as_opt_out=treated_as_opt_out)
        closed += 1
    return closed


@transaction.atomic
def record_parental_consent(*, case: MinorsCase, method: str, note: str) -> MinorsCase:
    """Keep a minor's information because a parent or guardian, verified as strongly as for
    sensitive data (ConsentMethod), consented. Marketing stays paused: consent to keep records is
    not consent to advertise to a child. The parent may withdraw it (withdraw_parental_consent)."""

    case = MinorsCase.objects.select_for_update().get(pk=case.pk)
    if case.status != MinorStatus.OPEN:
        raise TransitionRefused("This case is closed.")
    if case.request is not None:
        raise TransitionRefused("The parent asked us to delete this information: erase it instead.")
    if method not in ConsentMethod.values:
        raise TransitionRefused("Choose how the parent's identity was verified.")
    if not note.strip():
        raise TransitionRefused("Say who consented and what you checked (no ID numbers).")
    now = timezone.now()
    case.status = MinorStatus.CONSENTED
    case.consent_method = method
    case.consented_at = now
    case.closed_at = now
    case.note = note.strip()[:300]
    case.save(update_fields=["status", "consent_method", "consented_at", "closed_at", "note"])
    record(Event.MINORS_CONSENT_RECORDED, subject=case.person, target=case, data={"method": method})
    return case


def withdraw_parental_consent(*, case: MinorsCase) -> bool:
    """The parent withdrew their consent: the information goes, as if no consent had been
    given. False when a legal hold postpones the erasure (the case is open again until then)."""

    with transaction.atomic():
        case = MinorsCase.objects.select_for_update().get(pk=case.pk)
        if case.status != MinorStatus.CONSENTED:
            raise TransitionRefused("No parental consent is on record for this case.")
        case.status = MinorStatus.OPEN
        case.consent_withdrawn_at = timezone.now()
        case.closed_at = None
        case.save(update_fields=["status", "consent_withdrawn_at", "closed_at"])
        record(Event.MINORS_CONSENT_WITHDRAWN, subject=case.person, target=case)
    return erase_minor(case=case)
