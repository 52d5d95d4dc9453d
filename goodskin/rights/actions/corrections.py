"""Corrections: every copy of a piece changes together, and each recipient that received it is
told (ADR 0031).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import translation

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.outbox import queue_email_to_address
from goodskin.disclosures.models import Recipient
from goodskin.disclosures.queries import disclosures_about
from goodskin.rights.actions.common import TransitionRefused, email_person
from goodskin.rights.models import (
    Correction,
    DataRequest,
    RequestKind,
    Status,
)
from goodskin.vault.corrections import LABELS as CORRECTION_LABELS
from goodskin.vault.corrections import Change, Item, correct
from goodskin.vault.models import Person


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
        email_person(request, "corrected", labels=labels, told=bool(told))
        if old_address and person.email != old_address:
            queue_email_to_address(
                address=old_address,
                template="rights/email/corrected_old_address",
                language=request.language,
                context={"request": request},
                dedupe_key=f"rights:{request.reference}:corrected:old-address",
            )
    return Corrected(request=request, changes=applied, by_hand=sorted(by_hand))
