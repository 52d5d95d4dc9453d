"""Deletion requests: a farewell email written first, erasure journalled, the request marked done
last; each step safe to run again after a crash (ADR 0029).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.outbox import queue_farewell_email, release_farewell
from goodskin.communications.delivery import cancel_farewell
from goodskin.retention.actions import erase_unless_held
from goodskin.retention.queries import kept_categories
from goodskin.rights.actions.common import email_person
from goodskin.rights.models import (
    DataRequest,
    RequestKind,
    Status,
)
from goodskin.vault.models import ErasureReason


def _farewell_key(request: DataRequest) -> str:
    return f"rights:{request.reference}:deleted"


def fulfil_deletion(request: DataRequest, *, today: date) -> DataRequest:
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
        email_person(
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
        fulfil_deletion(request, today=today)
        finished += 1
    return finished
