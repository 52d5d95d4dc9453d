"""Opening a request. Intake never reveals whether the clinic holds anything about an address:
every request gets the same receipt and the same code email, and the answer comes only after
verification.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core import throttle
from goodskin.core.validation import normalise_email
from goodskin.jurisdictions.deadlines import deadlines
from goodskin.jurisdictions.privacy import PROMISE, UnknownJurisdiction, rules_for
from goodskin.rights.actions.common import email_person
from goodskin.rights.actions.fulfilment import fulfil_opt_out
from goodskin.rights.actions.verification import mark_verified, send_code
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
from goodskin.vault.corrections import Item
from goodskin.vault.models import Person

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
    email_person(
        request, "received", due_on=request.due_on, rules=rules, agent=agent.name if agent else ""
    )
    request.status = Status.RECEIPT_CONFIRMED
    request.save(update_fields=["status"])
    if kind in OPT_OUTS:
        mark_verified(request, Verification.NOT_NEEDED)
        fulfil_opt_out(request)
        return Opened(request, needs_code=False)
    if agent is None and signed_in_person is not None and signed_in_person.pk == person.pk:
        mark_verified(request, Verification.SIGNED_IN)
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
