"""The daily jobs: remind staff of requests due soon and minors cases waiting, and close what
was never verified.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.rights.actions.common import email_person
from goodskin.rights.actions.fulfilment import fulfil_request, opt_out_at_once
from goodskin.rights.actions.verification import HIGH_ASSURANCE, mark_verified
from goodskin.rights.models import (
    DataRequest,
    RequestKind,
    Status,
    Verification,
)
from goodskin.rights.queries import due_soon, minors_waiting
from goodskin.vault.actions import person_for_email


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
            mark_verified(request, Verification.EMAIL_CODE)
        fulfil_request(request=request, today=today)
        closed += 1
    stale = DataRequest.objects.filter(
        status__in=[Status.RECEIVED, Status.RECEIPT_CONFIRMED], due_on__lt=today
    ).select_related("person")
    for request in stale:
        with transaction.atomic():
            treated_as_opt_out = request.kind == RequestKind.DELETE
            if treated_as_opt_out:
                opt_out_at_once(request)
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
            email_person(request, "unverified", treated_as_opt_out=treated_as_opt_out)
        closed += 1
    return closed
