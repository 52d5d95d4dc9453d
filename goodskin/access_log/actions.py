"""Recording a staff member's read of one person's records, and telling the privacy officer when
one account reads unusually many people in an hour."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from goodskin.access_log.queries import people_read_by
from goodskin.audit.actions import AuditValue, record
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.core import context
from goodskin.vault.actions import person_for_email
from goodskin.vault.models import Person


def record_staff_read(
    *, person: Person, because: models.Model, what: str, reference: str = ""
) -> None:
    """One staff read of one person's records: who (the acting user), whom, when, and the task it
    served (`because`: the request, case, incident or submission, and the reference the person
    knows it by, such as a request's GS-… number), by reference only."""
    actor = context.current_actor()
    # Audit data holds lower-case tokens only; references are shown upper-case again.
    data: dict[str, AuditValue] = {"what": what}
    if reference:
        data["reference"] = reference.lower()
    if actor.user_id is None or not _new_this_hour(actor.user_id, person.pk):
        record(Event.PERSON_VIEWED, subject=person, target=because, data=data)
        return
    with transaction.atomic():  # the read and any alert it raises, together
        record(Event.PERSON_VIEWED, subject=person, target=because, data=data)
        alert_if_unusual(actor.user_id)


def _new_this_hour(user_id: int, person_id: int) -> bool:
    """False when this process already knows the account read this person within the hour: the
    number of different people it read cannot have grown, so the alert's count is not redone.
    (Another process, or a read of someone new, counts again; nothing is ever missed.)"""
    return cache.add(f"read:{user_id}:{person_id}", True, timeout=3600)


def alert_if_unusual(user_id: int) -> None:
    """Tell the privacy officer, once an hour, when this account has read more people in the
    last hour than STAFF_READS_ALERT_PER_HOUR."""
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    people = people_read_by(user_id, since=hour_ago)
    if people <= settings.STAFF_READS_ALERT_PER_HOUR:
        return
    already = AuditEntry.objects.filter(
        event=Event.STAFF_READS_ALERTED, data__staff_user=user_id, occurred_at__gte=hour_ago
    )
    if already.exists():
        return  # one alert an hour per account is enough to make someone look
    record(Event.STAFF_READS_ALERTED, data={"staff_user": user_id, "people": people})
    queue_essential_email(
        person=person_for_email(email=settings.PRIVACY_OFFICER_EMAIL),
        template="access_log/email/unusual_reads",
        language="en",
        context={
            "staff_user": user_id,
            "people": people,
            "threshold": settings.STAFF_READS_ALERT_PER_HOUR,
        },
        dedupe_key=f"access_log:alert:{user_id}:{now:%Y%m%d%H}",
    )
