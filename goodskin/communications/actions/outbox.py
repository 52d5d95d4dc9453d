"""Queueing essential email: the outbox row is written in the caller's transaction and the
worker is woken once it commits; farewells wait under their own key; in-doubt hand-overs and
late bounces are settled here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event

# By module: the tasks run these actions, so each side looks the other up when it runs.
from goodskin.communications import tasks
from goodskin.communications.actions.choices import suppress_bounced_address
from goodskin.communications.models import (
    Channel,
    Kind,
    Message,
    Status,
)
from goodskin.communications.rendering import render_essential
from goodskin.vault import keys
from goodskin.vault.models import Person


def deliver_after_commit() -> None:
    """Wake the worker once the queued rows are committed. Extra wake-ups are harmless: a
    delivery run that finds nothing due ends at once."""

    transaction.on_commit(tasks.deliver_outbox.enqueue)


def _essential_message(
    *,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str | None,
    **fields: Any,
) -> Message:
    """An essential email, rendered now and sealed (under the person's key, or the message's
    own when `own_key_id` is given), not yet saved."""
    rendered = render_essential(template=template, language=language, context=context)
    message = Message(
        kind=Kind.ESSENTIAL,
        channel=Channel.EMAIL,
        template=template,
        language=language,
        dedupe_key=dedupe_key,
        next_attempt_at=timezone.now(),
        **fields,
    )
    message.subject = rendered.subject
    message.body = rendered.text
    return message


@transaction.atomic
def queue_essential_email(
    *,
    person: Person,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str | None = None,
) -> Message | None:
    """Queue one essential email to the person's address, rendered now and sealed under their
    key. Returns None when `dedupe_key` was already used (the message exists already)."""
    if dedupe_key is not None and Message.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    message = _essential_message(
        template=template, language=language, context=context, dedupe_key=dedupe_key, person=person
    )
    message.save()
    deliver_after_commit()
    return message


def queue_email_to_address(
    *,
    address: str,
    template: str,
    language: str,
    context: dict[str, Any],
    dedupe_key: str,
    waiting: bool = False,
) -> Message:
    """An essential email to an address that is no person's current one: an address about to be
    erased or just corrected away, or an organisation's privacy contact. Sealed under a key of
    the message's own and forgotten (the key destroyed) once it is sent or given up; `waiting`
    holds it until `release_farewell`. Idempotent on `dedupe_key`."""
    existing = Message.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    message = _essential_message(
        template=template,
        language=language,
        context=context,
        dedupe_key=dedupe_key,
        person=None,
        own_key_id=keys.create_key(),
        status=Status.WAITING if waiting else Status.QUEUED,
    )
    message.address = address
    message.save()
    if not waiting:
        deliver_after_commit()
    return message


def queue_farewell_email(
    *, address: str, template: str, language: str, context: dict[str, Any], dedupe_key: str
) -> Message:
    """The confirmation of a deletion, to the address captured just before its person is
    erased, waiting until `release_farewell` says the erasure is done."""
    return queue_email_to_address(
        address=address,
        template=template,
        language=language,
        context=context,
        dedupe_key=dedupe_key,
        waiting=True,
    )


def release_farewell(*, dedupe_key: str) -> bool:
    """Let a waiting farewell go: the work it reports on is done. True if one was released."""
    released = Message.objects.filter(dedupe_key=dedupe_key, status=Status.WAITING).update(
        status=Status.QUEUED, next_attempt_at=timezone.now()
    )
    if released:
        deliver_after_commit()
    return bool(released)


@transaction.atomic
def release_in_doubt_message(*, message: Message, resend: bool) -> None:
    """Staff decide an interrupted message: send it again (they checked the mail server's log
    and it never arrived) or cancel it (it did, or it no longer matters)."""
    updated = Message.objects.filter(pk=message.pk, status=Status.IN_DOUBT).update(
        status=Status.QUEUED if resend else Status.CANCELLED,
        next_attempt_at=timezone.now(),
        claim_token=None,
        last_error="" if resend else "Cancelled by staff after an interrupted hand-over",
        **({} if resend else {"body_sealed": None}),
    )
    if not updated:
        raise ValueError("This message is no longer waiting for a decision.")
    record(
        Event.MESSAGE_RELEASED,
        subject=message.person,
        target=message,
        data={"resend": resend},
    )
    if resend:
        deliver_after_commit()


@transaction.atomic
def record_bounce_after_delivery(*, message: Message, permanent: bool) -> None:
    """The mail server took the message, and the recipient's server later sent it back."""
    if not permanent:
        return  # a delayed-delivery warning: the remote server is still trying
    Message.objects.filter(pk=message.pk).update(
        status=Status.FAILED, last_error="Returned by the recipient's mail server after sending"
    )
    record(
        Event.MESSAGE_NOT_SENT,
        subject=message.person,
        target=message,
        data={"kind": message.kind, "status": "bounced"},
    )
    if message.person is not None:  # a farewell's address is forgotten already
        suppress_bounced_address(person=message.person, channel=message.channel)


def copy_send_times(rows: QuerySet[Any], *, into: str) -> int:
    """Copy, onto rows that point at an outbox message through `message`, the moment that message
    was handed to the mail server, into the field `into` where still empty. The proof that someone
    was told then outlives the outbox's own retention. Returns how many rows were filled."""
    sent_at = Message.objects.filter(pk=OuterRef("message_id")).values("sent_at")[:1]
    return rows.filter(**{f"{into}__isnull": True}, message__sent_at__isnull=False).update(
        **{into: Subquery(sent_at)}
    )
