"""Answering a verified request: each kind has its own step, chosen from one table; extending
once with notice; denying with the reason and the appeal route.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.choices import unsubscribe_from_marketing
from goodskin.communications.models import Source
from goodskin.consent.actions import opt_out_everywhere
from goodskin.jurisdictions.privacy import rules_for
from goodskin.rights.actions.common import TransitionRefused, email_person
from goodskin.rights.actions.deletion import fulfil_deletion
from goodskin.rights.actions.report_access import REPORT_LINK_DAYS, report_link
from goodskin.rights.fulfil import build_report
from goodskin.rights.models import (
    OPEN_STATUSES,
    DataRequest,
    RequestKind,
    Status,
)


def opt_out_at_once(request: DataRequest) -> None:
    """Stop sale, sharing, targeted advertising and marketing at once: the mail and text
    suppression, and the consent records (so the GPP string) of every browser the person uses."""

    unsubscribe_from_marketing(person=request.person, source=Source.PRIVACY_CHOICES)
    opt_out_everywhere(person=request.person, language=request.language)


def fulfil_opt_out(request: DataRequest) -> None:
    opt_out_at_once(request)
    request.status = Status.FULFILLED
    request.closed_on = timezone.localdate()
    request.save(update_fields=["status", "closed_on"])
    record(
        Event.REQUEST_FULFILLED, subject=request.person, target=request, data={"kind": request.kind}
    )
    email_person(request, "opt_out_done")


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
    email_person(request, "extended")
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
    email_person(request, "denied", rules=rules)
    return request


def _send_report(request: DataRequest, *, today: date, note: str) -> DataRequest:
    """Know, access, portability, third parties: the report, sealed, behind a 7-day link."""
    with transaction.atomic():
        request.report = build_report(
            request.person,
            kind=RequestKind.KNOW if request.categories_only else request.kind,
            reference=request.reference,
            today=today,
            language=request.language,
        )
        _close(request, today=today, also=["report_sealed"])
        email_person(request, "report_ready", link=report_link(request), days=REPORT_LINK_DAYS)
    return request


def _erase(request: DataRequest, *, today: date, note: str) -> DataRequest:
    """Delete: erasure unless a legal hold keeps the data, which the person is told line by line."""
    return fulfil_deletion(request, today=today)


def _decide_appeal(request: DataRequest, *, today: date, note: str) -> DataRequest:
    """Appeal: the decision in the officer's words; in the person's favour, the appealed request
    goes back to the queue."""
    if not note.strip():
        raise TransitionRefused("Describe the appeal decision: the person will read it.")
    with transaction.atomic():
        request.outcome_note = note.strip()
        _close(request, today=today, also=["outcome_note"])
        if request.appeal_of is not None:
            _reopen(request.appeal_of, due_on=request.current_due_on)
        email_person(request, "completed")
    return request


def _refuse(why: str) -> Step:
    def step(request: DataRequest, *, today: date, note: str) -> DataRequest:
        raise TransitionRefused(why)

    return step


def _close(request: DataRequest, *, today: date, also: list[str]) -> None:
    request.status = Status.FULFILLED
    request.closed_on = today
    request.save(update_fields=["status", "closed_on", *also])
    record(
        Event.REQUEST_FULFILLED, subject=request.person, target=request, data={"kind": request.kind}
    )


class Step(Protocol):
    def __call__(self, request: DataRequest, *, today: date, note: str) -> DataRequest: ...


_DONE_AT_ONCE = _refuse("Opt-outs are carried out the moment they arrive: there is nothing left.")

# How each kind of request is fulfilled from the console; a test requires a row for every kind.
FULFIL: dict[str, Step] = {
    RequestKind.KNOW: _send_report,
    RequestKind.ACCESS: _send_report,
    RequestKind.PORTABILITY: _send_report,
    RequestKind.LIST_THIRD_PARTIES: _send_report,
    RequestKind.DELETE: _erase,
    RequestKind.APPEAL: _decide_appeal,
    RequestKind.CORRECT: _refuse(
        "Use the correction form: it changes the pieces named and tells whoever holds them."
    ),
    RequestKind.CHILD: _refuse(
        "Decide the minors case under Possible minors: the parent is answered when it closes."
    ),
    RequestKind.OPT_OUT: _DONE_AT_ONCE,
    RequestKind.OPT_OUT_PROFILING: _DONE_AT_ONCE,
    RequestKind.LIMIT_SENSITIVE: _DONE_AT_ONCE,
}


def fulfil_request(*, request: DataRequest, today: date, note: str = "") -> DataRequest:
    """Carry out a verified, open request by its kind's step in FULFIL."""
    request = DataRequest.objects.get(pk=request.pk)
    if request.status not in {Status.VERIFIED, Status.IN_PROGRESS, Status.EXTENDED}:
        raise TransitionRefused("Only a verified, open request can be fulfilled.")
    return FULFIL[request.kind](request, today=today, note=note)


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
