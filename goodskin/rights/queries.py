"""Reads for the staff queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.core.doors import Door
from goodskin.core.errors import NotFound
from goodskin.jurisdictions.deadlines import add_business_days
from goodskin.rights.metrics import Closed
from goodskin.rights.models import OPEN_STATUSES, DataRequest, MinorsCase
from goodskin.vault.models import Person


def open_queue() -> QuerySet[DataRequest]:
    """Open requests, soonest deadline first (the extended one when there is one)."""
    return (
        DataRequest.objects.filter(status__in=OPEN_STATUSES)
        # The sealed words, reports and documents (up to 5 MB each) are not for a list.
        .defer("details_sealed", "report_sealed", "agent_sealed", "document_sealed", "child_sealed")
        .annotate(deadline=Coalesce(F("extended_due_on"), F("due_on")))
        .order_by("deadline", "pk")
    )


def _deadline_before(day: date) -> Q:
    return Q(extended_due_on__lt=day) | Q(extended_due_on__isnull=True, due_on__lt=day)


def queue_summary(*, today: date) -> dict[str, Any]:
    queue = DataRequest.objects.filter(status__in=OPEN_STATUSES)
    week = today + timedelta(days=8)
    return {
        "open": queue.count(),
        "overdue": queue.filter(_deadline_before(today)).count(),
        "due_this_week": queue.filter(_deadline_before(week))
        .exclude(_deadline_before(today))
        .count(),
        "receipt_overdue": queue.filter(status="received", receipt_due_on__lt=today).count(),
    }


def fulfilled_with_report(reference: str) -> DataRequest | None:
    return (
        DataRequest.objects.select_related("person")
        .filter(reference=reference, status="fulfilled", report_sealed__isnull=False)
        .first()
    )


VIEW_REQUESTS = Door(see="rights.view_requests")


def access_request(user: Any, reference: str) -> DataRequest:
    """The request by reference, for staff allowed to view requests; NotFound otherwise (and for
    a reference that does not exist: the two look the same)."""
    if not VIEW_REQUESTS.lets(user, "GET"):
        raise NotFound
    found = DataRequest.objects.select_related("person").filter(reference=reference).first()
    if found is None:
        raise NotFound
    return found


def requests_received_in(year: int) -> list[Closed]:
    return [
        Closed(kind=kind, state=state, status=status, received_on=received, closed_on=closed)
        for kind, state, status, received, closed in DataRequest.objects.filter(
            received_on__year=year, duplicate_of__isnull=True
        ).values_list("kind", "state", "status", "received_on", "closed_on")
    ]


def due_soon(*, today: date) -> QuerySet[DataRequest]:
    """Open requests overdue or due within seven days, soonest first."""
    return open_queue().filter(_deadline_before(today + timedelta(days=8)))


def pending_age_signals() -> list[tuple[int, object]]:
    """People a form flagged as possibly under 18 who have no minors case yet: (person id, when).
    Read from the audit log, where the submission recorded the signal."""

    with_case = {str(pk) for pk in MinorsCase.objects.values_list("person_id", flat=True)}
    seen: dict[int, object] = {}
    for subject_id, occurred_at in AuditEntry.objects.filter(
        event=Event.AGE_SIGNAL_RECEIVED, subject_type="vault.person"
    ).values_list("subject_id", "occurred_at"):
        if subject_id not in with_case:
            seen.setdefault(int(subject_id), occurred_at)
    return sorted(seen.items(), key=lambda item: str(item[1]))


MINORS_REVIEW_BUSINESS_DAYS = 3  # the policy's promise: a possible minor waits at most this long


@dataclass(frozen=True)
class MinorWaiting:
    """A possible minor waiting for the privacy team: a signal with no case yet, or an open case."""

    person_id: int
    since: datetime
    due_on: date
    case: MinorsCase | None


def minors_waiting() -> list[MinorWaiting]:
    """Everything about possible minors that staff must decide, soonest due first."""

    def due(moment: datetime) -> date:
        return add_business_days(timezone.localdate(moment), MINORS_REVIEW_BUSINESS_DAYS)

    waiting = [
        MinorWaiting(person_id, since, due(since), None)  # type: ignore[arg-type]  # a datetime
        for person_id, since in pending_age_signals()
    ]
    waiting += [
        MinorWaiting(case.person_id, case.opened_at, due(case.opened_at), case)
        for case in open_minors_cases()
    ]
    return sorted(waiting, key=lambda item: (item.due_on, item.person_id))


def open_minors_cases() -> QuerySet[MinorsCase]:
    return MinorsCase.objects.filter(status="open").select_related("request").order_by("opened_at")


def consented_minors_cases() -> QuerySet[MinorsCase]:
    return MinorsCase.objects.filter(status="consented").order_by("consented_at")


def access_minors_case(user: Any, case_id: int, *, consented: bool = False) -> MinorsCase:
    """An open (or consented) minors case, for staff allowed to view them; NotFound otherwise."""
    if not VIEW_REQUESTS.lets(user, "GET"):
        raise NotFound
    status = "consented" if consented else "open"
    case = MinorsCase.objects.select_related("person").filter(pk=case_id, status=status).first()
    if case is None:
        raise NotFound
    return case


def requests_of(person: Person) -> QuerySet[DataRequest]:
    """A person's own requests, newest first, for their account page."""
    return DataRequest.objects.filter(person=person).order_by("-received_on", "-pk")[:50]
