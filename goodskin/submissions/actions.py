"""Receiving a website form: classify what was typed, redact what must never be kept, seal the
message under the sender's key, audit, and confirm by email after commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.choices import pause_marketing
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.communications.models import PauseReason
from goodskin.core import throttle
from goodskin.submissions.models import ConsultationRequest, ContactMessage
from goodskin.submissions.scanning import REDACTED_KINDS, Kind, redact, scan
from goodskin.vault.actions import person_for_email
from goodskin.website.models import Clinic, Service

SUBMISSIONS_PER_HOUR = throttle.Limit("submissions:address", 5, timedelta(hours=1))


@dataclass(frozen=True)
class Received:
    """What the sender is told: which kinds of number were removed before saving."""

    removed: tuple[str, ...]


class TooManySubmissions(Exception):
    """Five forms an hour from one network address; only accepted submissions count."""


def _reserve(client_address: str) -> None:
    """Count this form against its sender's limit before anything about the sender is made (a
    person's key lives in the keyring database, which this transaction cannot roll back). The
    reservation is in the action's transaction: if saving fails, it is given back too."""
    if not throttle.attempt((SUBMISSIONS_PER_HOUR, client_address), now=timezone.now()):
        raise TooManySubmissions


def _classify(message: str, today: date) -> tuple[str, list[str]]:
    findings = scan(message, today=today)
    return redact(message, findings), sorted({str(finding.kind) for finding in findings})


def _after_saving(
    row: ConsultationRequest | ContactMessage, kinds: list[str], client_address: str
) -> Received:
    record(
        Event.SUBMISSION_RECEIVED,
        subject=row.person,
        target=row,
        data={"removed": [kind for kind in kinds if kind in REDACTED_KINDS], "flags": kinds},
    )
    if Kind.UNDER_18 in kinds:
        # The signal waits in the audit log for the privacy team (Possible minors, at most 3
        # business days); until they decide, no marketing reaches the person.
        record(
            Event.AGE_SIGNAL_RECEIVED, subject=row.person, target=row, data={"source": "message"}
        )
        pause_marketing(person=row.person, reason=PauseReason.POSSIBLE_MINOR)
    kind = "consultation" if isinstance(row, ConsultationRequest) else "contact"
    queue_essential_email(
        person=row.person,
        template=f"submissions/email/{kind}_received",
        language=row.language,
        context={"name": row.full_name},
    )
    return Received(removed=tuple(kind for kind in kinds if kind in REDACTED_KINDS))


def _store(
    row: ConsultationRequest | ContactMessage,
    *,
    message: str,
    client_address: str,
    today: date,
) -> Received:
    cleaned, kinds = _classify(message, today)
    row.message = cleaned or None
    row.findings = json.dumps(kinds)
    row.save(force_insert=True)
    return _after_saving(row, kinds, client_address)


@transaction.atomic
def submit_consultation(
    *,
    full_name: str,
    email: str,
    phone: str,
    treatment: Service | None,
    clinic: Clinic | None,
    preferred_time: str,
    message: str,
    language: str,
    client_address: str,
    today: date,
) -> Received:
    _reserve(client_address)
    person = person_for_email(email=email, phone=phone)
    row = ConsultationRequest(
        person=person,
        full_name=full_name,
        email=person.email or email,
        phone=phone,
        treatment=treatment,
        clinic=clinic,
        preferred_time=preferred_time,
        language=language,
    )
    return _store(row, message=message, client_address=client_address, today=today)


@transaction.atomic
def submit_contact_message(
    *,
    full_name: str,
    email: str,
    phone: str,
    topic: str,
    message: str,
    language: str,
    client_address: str,
    today: date,
) -> Received:
    _reserve(client_address)
    person = person_for_email(email=email, phone=phone or None)
    row = ContactMessage(
        person=person,
        full_name=full_name,
        email=person.email or email,
        phone=phone,
        topic=topic,
        language=language,
    )
    return _store(row, message=message, client_address=client_address, today=today)
