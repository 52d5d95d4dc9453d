"""Minors cases: a possible child's data gets a decision within three business days: erased,
or kept on a parent's verified, withdrawable consent.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.communications.actions.choices import (
    lift_marketing_pause,
    pause_marketing,
    suppress_as_minor,
)
from goodskin.communications.models import PauseReason
from goodskin.retention.actions import erase_unless_held
from goodskin.rights.actions.common import TransitionRefused, email_person
from goodskin.rights.models import (
    OPEN_STATUSES,
    ConsentMethod,
    DataRequest,
    MinorsCase,
    MinorSource,
    MinorStatus,
    Status,
)
from goodskin.vault.actions import person_for_email
from goodskin.vault.models import ErasureReason, Person


def open_case_for_child(request: DataRequest) -> None:
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
    email_person(request, "child_done")


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
