"""Delivering the outbox: every accepted message goes out at most once, and none is lost.

A message moves QUEUED → CLAIMED → SENDING → SENT, or back to QUEUED to retry, or to FAILED,
SUPPRESSED or CANCELLED. Transactions, in order:

1. Claim: one short transaction takes a batch of due messages (SKIP LOCKED on PostgreSQL, so
   any number of workers share the queue).
2. Hand-over: one transaction decides whether each message may go *now* (erased person,
   opt-out, pause, suppression, cancelled campaign: DESIGN invariant 5) and, if so, marks it
   SENDING and records the attempt. This commits before the SMTP call. Campaign messages are
   handed over in groups of OUTBOX["HANDOVER_GROUP"], the group's facts read in set-based queries
   with the people's choices locked; every other message alone (ADR 0049).
3. Outcome: one transaction records that the server took a group's messages; anything else the
   server said is recorded per message at once.

A worker killed between 2 and 3 leaves SENDING rows (one message, or one campaign group) that
nobody resends: after the lease they are set aside as IN_DOUBT for a person to release or
cancel. Messages only CLAIMED when a worker died were never handed over and simply return to the
queue. A mail server that cannot be reached sends the batch back to the queue without counting
it against the messages' attempts.

One message never holds back another: anything that goes wrong with one message (an address the
server cannot take, a template that will not render, an error nobody foresaw) ends that message
alone, with a reason in our own words, and the batch carries on (DESIGN invariant 10).
"""

from __future__ import annotations

import logging
import smtplib
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from goodskin.audit.actions import record
from goodskin.audit.events import Event

# By module: actions queue the tasks that run this engine, which in turn calls these actions.
from goodskin.communications.actions.choices import preferences_of, suppress_bounced_address
from goodskin.communications.fingerprints import Fingerprinter
from goodskin.communications.models import (
    Campaign,
    CampaignStatus,
    Channel,
    ContactPreferences,
    DeliveryAttempt,
    Kind,
    MarketingPause,
    Message,
    Status,
    Subscription,
    Suppression,
    Topic,
)
from goodskin.communications.queries import topic_default
from goodskin.communications.rendering import (
    CampaignText,
    MarketingRenderer,
    Rendered,
    render_marketing_sms,
)
from goodskin.communications.sms import SmsRejected, SmsTemporaryError, sms_backend
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.core import throttle
from goodskin.core.context import Actor, acting_as
from goodskin.vault import keys

# Waits after the 1st, 2nd, … temporary failure; the last repeats.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
SERVER_DOWN_WAIT = timedelta(minutes=1)
# Raised while the message is being prepared (addresses, headers, encoding): nothing was sent yet.
PREPARATION_ERRORS = (ValueError, TypeError, UnicodeError, LookupError)
EXPECTED_ERRORS = (OSError, smtplib.SMTPException, SmsTemporaryError, SmsRejected)
logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    claimed: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    server_error: str = ""
    next_retry_at: datetime | None = None

    def line(self) -> str:
        parts = [f"{count} {name}" for name, count in sorted(self.outcomes.items())]
        text = ", ".join(parts) or "nothing due"
        return f"{text}; mail server: {self.server_error}" if self.server_error else text


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX["LEASE_SECONDS"])


def _message_id_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def recover_abandoned(*, now: datetime) -> tuple[int, int]:
    """Return messages a dead worker only claimed; set aside those it was handing over."""
    cutoff = now - _lease()
    returned = Message.objects.filter(status=Status.CLAIMED, claimed_at__lt=cutoff).update(
        status=Status.QUEUED, claim_token=None, claimed_at=None
    )
    set_aside = 0
    for message in Message.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff):
        with transaction.atomic():
            updated = Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
                status=Status.IN_DOUBT,
                last_error="The worker stopped while handing this message over; "
                "it may or may not have been sent",
            )
            if updated:
                DeliveryAttempt.objects.filter(message=message, finished_at__isnull=True).update(
                    finished_at=now, outcome="interrupted"
                )
                record(
                    Event.MESSAGE_IN_DOUBT,
                    subject=message.person,
                    target=message,
                    data={"kind": message.kind, "channel": message.channel},
                )
                set_aside += 1
    return returned, set_aside


def claim(*, limit: int, now: datetime) -> list[Message]:
    token = uuid.uuid4()
    with transaction.atomic():
        due = Message.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        Message.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.CLAIMED, claim_token=token, claimed_at=now
        )
    return list(
        Message.objects.filter(claim_token=token, status=Status.CLAIMED)
        .select_related("person", "campaign")
        .order_by("next_attempt_at", "pk")
    )


def _address(message: Message) -> str | None:
    person = message.person
    if person is None:  # a farewell: its own sealed address, gone once its key is destroyed
        try:
            return message.address if message.own_key_id else None
        except keys.KeyShredded:
            return None
    if person.erased_at is not None:
        return None
    return person.email if message.channel == Channel.EMAIL else person.phone


def _forget(message: Message) -> None:
    """A farewell is done: destroy its key, and with it the only copy of the address."""
    if message.own_key_id is not None:
        keys.destroy_key(message.own_key_id)


@dataclass
class _Facts:
    """What the send-time rule needs about a group of messages, read in one go inside the
    hand-over transaction, with the people's choices locked."""

    cancelled_campaigns: set[int]
    choices: dict[tuple[int, str, str], bool]
    paused: set[int]
    suppressions: dict[str, list[tuple[str, str]]]  # fingerprint: [(topic, reason)], oldest first


def _gather(messages: list[Message], fingerprint: Fingerprinter) -> _Facts:
    people = {message.person_id for message in messages if message.person_id is not None}
    topics = {message.topic for message in messages}
    channels = {message.channel for message in messages}
    campaigns = {message.campaign_id for message in messages if message.campaign_id is not None}
    choices = {
        (person, topic, channel): subscribed
        for person, topic, channel, subscribed in Subscription.objects.select_for_update()
        .filter(person_id__in=people, topic__in=topics, channel__in=channels)
        .values_list("person_id", "topic", "channel", "subscribed")
    }
    fingerprints = set()
    for message in messages:
        if message.kind == Kind.MARKETING and (address := _address(message)) is not None:
            fingerprints.add(fingerprint(message.channel, address))
    suppressions: dict[str, list[tuple[str, str]]] = {}
    for print_, topic, reason in (
        Suppression.objects.filter(fingerprint__in=fingerprints, topic__in=["", *topics])
        .order_by("pk")
        .values_list("fingerprint", "topic", "reason")
    ):
        suppressions.setdefault(print_, []).append((topic, reason))
    return _Facts(
        cancelled_campaigns=set(
            Campaign.objects.filter(pk__in=campaigns, status=CampaignStatus.CANCELLED).values_list(
                "pk", flat=True
            )
        ),
        choices=choices,
        paused=set(
            MarketingPause.objects.filter(person_id__in=people, lifted_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        if any(message.kind == Kind.MARKETING for message in messages)
        else set(),
        suppressions=suppressions,
    )


def _why_not(
    message: Message, fingerprint: Fingerprinter, facts: _Facts | None = None
) -> tuple[Status, str] | None:
    """Why this message must not go now, or None. Runs inside the hand-over transaction, with
    the person's choice locked, so an opt-out committed before this point always wins."""
    facts = facts or _gather([message], fingerprint)
    address = _address(message)
    if address is None:
        return Status.CANCELLED, "No address: the person was erased or gave none"
    if message.campaign_id is not None and message.campaign_id in facts.cancelled_campaigns:
        return Status.CANCELLED, "Campaign cancelled by staff"
    if message.kind == Kind.ESSENTIAL and message.topic != Topic.REMINDERS:
        return None
    if message.person is None:  # only farewells have no person, and they are essential
        return Status.CANCELLED, "No person to check the choices of"
    choice = facts.choices.get((message.person.pk, message.topic, message.channel))
    wanted = topic_default(message.topic) if choice is None else choice
    if not wanted:
        return Status.SUPPRESSED, "The person has not chosen to get these messages"
    if message.kind == Kind.ESSENTIAL:
        return None
    verified = (
        message.person.email_verified_at
        if message.channel == Channel.EMAIL
        else message.person.phone_verified_at
    )
    if verified is None:
        return Status.SUPPRESSED, "The address has not been verified"
    if message.person.pk in facts.paused:
        return (
            Status.SUPPRESSED,
            "Marketing is paused while we check whether the person is under 18",
        )
    reason = next(
        (
            why
            for topic, why in facts.suppressions.get(fingerprint(message.channel, address), [])
            if topic in ("", message.topic)
        ),
        None,
    )
    if reason is not None:
        return Status.SUPPRESSED, f"The address is on the suppression list ({reason})"
    return None


def _forgotten(message: Message) -> dict[str, None]:
    """What the outbox forgets once a message is done: its words, and for a message with its own
    key (a farewell) the address and subject too. A person's message keeps its subject, sealed
    under their key, so their copy of their data says what we wrote to them about."""
    if message.own_key_id is not None:
        return {"subject_sealed": None, "body_sealed": None, "address_sealed": None}
    return {"body_sealed": None}


def _close(message: Message, status: Status, why: str, *, now: datetime) -> None:
    _close_row(message, status, why, now=now)
    _forget(message)


def _close_row(message: Message, status: Status, why: str, *, now: datetime) -> None:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=status,
            last_error=why,
            next_attempt_at=now,
            claim_token=None,
            **_forgotten(message),
        )
        record(
            Event.MESSAGE_NOT_SENT,
            subject=message.person,
            target=message,
            data={"kind": message.kind, "status": str(status), "channel": message.channel},
        )


def cancel_farewell(*, dedupe_key: str) -> None:
    """A waiting farewell that must not go (a legal hold kept the data): closed like any message
    that is not sent, so its words, address and key are forgotten and the audit log says so."""
    now = timezone.now()
    for message in Message.objects.filter(dedupe_key=dedupe_key, status=Status.WAITING):
        _close(message, Status.CANCELLED, "Not sent: the data was kept under a legal hold", now=now)


@dataclass
class _HandOver:
    handed: list[Message] = field(default_factory=list)  # SENDING now, in order: send these
    refused: list[Message] = field(default_factory=list)  # closed: opted out, suppressed, ...
    broken: list[tuple[Message, Exception]] = field(default_factory=list)
    taken: list[Message] = field(default_factory=list)  # recovered by another worker meanwhile


def _hand_over(group: list[Message], fingerprint: Fingerprinter, *, now: datetime) -> _HandOver:
    """One transaction for the group: read what the rule needs (the people's choices locked),
    decide each message, mark those that may go SENDING with their attempt, close the others.
    A message whose check breaks is set aside alone, after the commit."""
    result = _HandOver()
    closing: list[tuple[Message, Status, str]] = []
    with transaction.atomic():
        facts = _gather(group, fingerprint)
        allowed: list[Message] = []
        for message in group:
            try:
                refusal = _why_not(message, fingerprint, facts)
            except Exception as error:  # one message's fault must not stop the group
                result.broken.append((message, error))
                continue
            if refusal is None:
                allowed.append(message)
            else:
                closing.append((message, *refusal))
        if allowed:
            ids = [message.pk for message in allowed]
            token = allowed[0].claim_token
            Message.objects.filter(pk__in=ids, status=Status.CLAIMED, claim_token=token).update(
                status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
            )
            mine = set(
                Message.objects.filter(
                    pk__in=ids, status=Status.SENDING, claim_token=token, claimed_at=now
                ).values_list("pk", flat=True)
            )
            for message in allowed:
                if message.pk in mine:
                    message.attempts += 1
                    result.handed.append(message)
                else:  # recovered by another worker after a long stall: not ours now
                    result.taken.append(message)
            DeliveryAttempt.objects.bulk_create(
                DeliveryAttempt(message=message, started_at=now) for message in result.handed
            )
        for message, status, why in closing:
            _close_row(message, status, why, now=now)
            result.refused.append(message)
    for message in result.refused:
        _forget(message)
    return result


def _groups(batch: list[Message], size: int) -> list[list[Message]]:
    """Campaign messages are handed over up to `size` at a time, in claim order; every other
    message alone. A worker that dies leaves at most one group in doubt, so an essential
    message (a password reset) is never held back by another's."""
    groups: list[list[Message]] = []
    for message in batch:
        marketing = message.kind == Kind.MARKETING
        if (
            marketing
            and groups
            and groups[-1][-1].kind == Kind.MARKETING
            and len(groups[-1]) < size
        ):
            groups[-1].append(message)
        else:
            groups.append([message])
    return groups


def _campaign_text(message: Message) -> CampaignText:
    campaign: Campaign = message.campaign  # type: ignore[assignment]  # only called for campaigns
    spanish = message.language == "es"
    return CampaignText(
        subject=campaign.subject_es if spanish else campaign.subject_en,
        body=campaign.body_es if spanish else campaign.body_en,
        topic=campaign.topic,
    )


def _render(
    message: Message, renderer: MarketingRenderer, link_ids: dict[int, uuid.UUID]
) -> Rendered:
    if message.campaign is None:
        return Rendered(subject=message.subject or "", text=message.body or "")
    text = _campaign_text(message)
    if message.channel == Channel.SMS:
        return render_marketing_sms(text=text, language=message.language)
    link = UnsubscribeLink(
        link_id=_link_id(message, link_ids),
        topic=message.topic,
        channel=message.channel,
        campaign_id=message.campaign_id,
    )
    return renderer.render(text=text, language=message.language, link=link)


def _link_ids(messages: list[Message]) -> dict[int, uuid.UUID]:
    """The ids the batch's campaign links carry, by person, in one read."""
    people = {
        message.person_id
        for message in messages
        if message.campaign_id is not None and message.person_id is not None
    }
    return dict(
        ContactPreferences.objects.filter(person_id__in=people).values_list("person_id", "link_id")
    )


def _link_id(message: Message, known: dict[int, uuid.UUID]) -> uuid.UUID:
    assert message.person is not None  # campaigns always go to a person
    link_id = known.get(message.person.pk)
    if link_id is None:  # made on first need
        link_id = preferences_of(message.person, language=message.language).link_id
    return link_id


def build_email(message: Message, address: str, rendered: Rendered) -> EmailMultiAlternatives:
    marketing = message.kind == Kind.MARKETING
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.MARKETING_FROM_EMAIL if marketing else settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={
            "Message-ID": f"<{message.message_id}@{_message_id_domain()}>",
            "X-GoodSkin-Kind": str(message.kind),
            **rendered.headers,
        },
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    return email


class _Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    IN_DOUBT = "in_doubt"


def _classify(error: Exception) -> tuple[str, int | None, str]:
    """(outcome, SMTP code, a reason written by us that names no address)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        code = codes[0] if codes else None
    elif isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
    elif isinstance(error, SmsTemporaryError):
        return _Outcome.RETRY, None, "The text-message provider asked us to try later"
    elif isinstance(error, SmsRejected):
        return _Outcome.FAILED, None, "The text-message provider refused the number"
    elif isinstance(error, smtplib.SMTPNotSupportedError):
        return _Outcome.FAILED, None, "The mail server cannot take this address (no SMTPUTF8)"
    elif isinstance(error, PREPARATION_ERRORS):
        return (
            _Outcome.FAILED,
            None,
            f"Could not be prepared for sending ({type(error).__name__}); nothing was sent. "
            "Check the person's address.",
        )
    elif not isinstance(error, (OSError, smtplib.SMTPException)):
        return (
            _Outcome.IN_DOUBT,
            None,
            f"Unexpected error while sending ({type(error).__name__}); it may have been sent",
        )
    else:
        return (
            _Outcome.IN_DOUBT,
            None,
            f"Connection lost while sending ({type(error).__name__}); it may have been sent",
        )
    if code is not None and 400 <= code < 500:
        return _Outcome.RETRY, code, f"The mail server asked us to try later ({code})"
    return _Outcome.FAILED, code, f"The mail server refused the message ({code})"


def _finish(
    message: Message, outcome: str, code: int | None, reason: str, *, now: datetime
) -> datetime | None:
    """Record what went wrong (a message the server took is recorded by _record_sent); return
    when to try again, if a retry was scheduled."""
    retry_at: datetime | None = None
    with transaction.atomic():
        attempt = DeliveryAttempt.objects.filter(message=message, finished_at__isnull=True)
        attempt.update(finished_at=now, outcome=outcome, smtp_code=code, error=reason[:200])
        changes: dict[str, Any] = {"claim_token": None, "last_error": reason[:200]}
        if outcome == _Outcome.RETRY and message.attempts < settings.OUTBOX["MAX_ATTEMPTS"]:
            retry_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            changes |= {"status": Status.QUEUED, "next_attempt_at": retry_at}
        elif outcome == _Outcome.IN_DOUBT:
            changes |= {"status": Status.IN_DOUBT}
        else:
            if outcome == _Outcome.RETRY:
                changes["last_error"] = f"Gave up after {message.attempts} attempts. {reason}"
            changes |= {"status": Status.FAILED, "next_attempt_at": now}
        if changes["status"] == Status.FAILED:
            changes |= _forgotten(message)
        Message.objects.filter(pk=message.pk).update(**changes)
        if changes["status"] == Status.IN_DOUBT:
            record(
                Event.MESSAGE_IN_DOUBT,
                subject=message.person,
                target=message,
                data={"kind": message.kind, "channel": message.channel},
            )
        elif changes["status"] == Status.FAILED:
            record(
                Event.MESSAGE_NOT_SENT,
                subject=message.person,
                target=message,
                data={"kind": message.kind, "status": "failed", "smtp_code": code},
            )
    if changes["status"] == Status.FAILED:
        _forget(message)
    if outcome == _Outcome.FAILED and code is not None and code >= 500 and message.person:
        suppress_bounced_address(person=message.person, channel=message.channel)
    return retry_at


def _record_sent(messages: list[Message], *, now: datetime) -> None:
    """The server took these: one transaction marks them sent, forgets their words and audits
    the essential ones; then a farewell's own key is destroyed."""
    if not messages:
        return
    ids = [message.pk for message in messages]
    with transaction.atomic():
        DeliveryAttempt.objects.filter(message_id__in=ids, finished_at__isnull=True).update(
            finished_at=now, outcome=_Outcome.SENT, smtp_code=250, error=""
        )
        sent = {"status": Status.SENT, "sent_at": now, "last_error": "", "claim_token": None}
        by_forgotten: dict[tuple[str, ...], list[int]] = {}
        for message in messages:
            by_forgotten.setdefault(tuple(_forgotten(message)), []).append(message.pk)
        for fields, pks in by_forgotten.items():
            Message.objects.filter(pk__in=pks).update(**sent, **dict.fromkeys(fields))
        for message in messages:
            if message.kind == Kind.ESSENTIAL:
                record(
                    Event.EMAIL_SENT if message.channel == Channel.EMAIL else Event.SMS_SENT,
                    subject=message.person,
                    target=message,
                    data={"template": message.template.replace("/email/", ".").replace("/", ".")},
                )
    for message in messages:
        _forget(message)


def _return_unsent(messages: list[Message], *, until: datetime, now: datetime) -> None:
    """Handed over, then the connection went before their turn: they were certainly not sent,
    so they wait in the queue again, their attempt not counted."""
    if not messages:
        return
    ids = [message.pk for message in messages]
    with transaction.atomic():
        DeliveryAttempt.objects.filter(message_id__in=ids, finished_at__isnull=True).update(
            finished_at=now, outcome="not_sent", error="The connection was lost before its turn"
        )
        Message.objects.filter(pk__in=ids, status=Status.SENDING).update(
            status=Status.QUEUED,
            attempts=F("attempts") - 1,
            claim_token=None,
            next_attempt_at=until,
            last_error="Mail server unreachable",
        )


def _log_unexpected(message: Message, error: Exception, *, stage: str) -> None:
    """Log where it broke, never what it said: exception texts can carry the address."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error(
        "outbox message %s failed while %s: %s\n%s", message.pk, stage, type(error).__name__, frames
    )


def _set_aside_unsent(message: Message, error: Exception, *, now: datetime) -> None:
    """The hand-over itself broke: the message never reached SENDING, so it was not sent."""
    _log_unexpected(message, error, stage="deciding whether it may go")
    why = f"Could not be checked for sending ({type(error).__name__}); nothing was sent"
    _close(message, Status.FAILED, why, now=now)


def _release_unsent(messages: list[Message], *, until: datetime, reason: str) -> None:
    Message.objects.filter(
        pk__in=[message.pk for message in messages], status=Status.CLAIMED
    ).update(status=Status.QUEUED, claim_token=None, next_attempt_at=until, last_error=reason)


def _domain_allowance(messages: list[Message], *, now: datetime) -> dict[int, datetime]:
    """Messages that must wait for their domain's next window, with when that window opens."""
    limit = throttle.Limit("outbox-domain", settings.OUTBOX["DOMAIN_LIMIT"], timedelta(minutes=1))
    by_domain: dict[str, list[Message]] = {}
    for message in messages:
        if message.channel != Channel.EMAIL:
            continue
        address = _address(message) or ""
        by_domain.setdefault(address.rpartition("@")[2].lower(), []).append(message)
    waiting: dict[int, datetime] = {}
    for domain, group in by_domain.items():
        if not domain:
            continue
        granted, window_ends = throttle.take(limit, domain, now=now, wanted=len(group))
        for message in group[granted:]:
            waiting[message.pk] = window_ends
    return waiting


def _reconnect(smtp: Any) -> bool:
    try:
        smtp.close()
    except (OSError, smtplib.SMTPException):
        smtp.connection = None  # already gone
    try:
        smtp.open()
    except (OSError, smtplib.SMTPException):
        return False
    return True


def deliver_batch(*, limit: int | None = None, now: datetime | None = None) -> DeliveryReport:
    """Deliver up to `limit` due messages. Safe to run in any number of processes at once."""
    now = now or timezone.now()
    report = DeliveryReport()
    recover_abandoned(now=now)
    batch = claim(limit=limit or settings.OUTBOX["BATCH_SIZE"], now=now)
    report.claimed = len(batch)
    if not batch:
        return report
    waiting = _domain_allowance(batch, now=now)
    for message in batch:
        if message.pk in waiting:
            _release_unsent([message], until=waiting[message.pk], reason="")
            report.outcomes["deferred (domain limit)"] += 1
    batch = [message for message in batch if message.pk not in waiting]
    fingerprint = Fingerprinter()
    smtp = mailers["default"]
    try:
        if any(message.channel == Channel.EMAIL for message in batch):
            smtp.open()
    except (OSError, smtplib.SMTPException) as error:
        report.server_error = f"unreachable ({type(error).__name__}: {error})"[:200]
        _release_unsent(batch, until=now + SERVER_DOWN_WAIT, reason="Mail server unreachable")
        report.outcomes["waiting (server down)"] += len(batch)
        report.next_retry_at = now + SERVER_DOWN_WAIT
        return report
    sms = sms_backend()
    renderer = MarketingRenderer()
    link_ids = _link_ids(batch)
    marketing_sent: Counter[int] = Counter()
    groups = _groups(batch, settings.OUTBOX["HANDOVER_GROUP"])
    try:
        for position, group in enumerate(groups):
            try:
                handing = _hand_over(group, fingerprint, now=now)
            except Exception as reading_error:  # the group's reading broke: each set aside alone
                handing = _HandOver(broken=[(message, reading_error) for message in group])
            for message, check_error in handing.broken:
                _set_aside_unsent(message, check_error, now=now)
                report.outcomes[str(Status.FAILED)] += 1
            for message in handing.refused + handing.taken:
                message.refresh_from_db(fields=["status"])
                report.outcomes[str(message.status)] += 1
            sent: list[Message] = []
            lost = False
            for index, message in enumerate(handing.handed):
                address = _address(message) or ""
                try:
                    rendered = _render(message, renderer, link_ids)
                    if message.channel == Channel.EMAIL:
                        smtp.send_messages([build_email(message, address, rendered)])
                    else:
                        sms.send(to=address, body=rendered.text, message_id=str(message.message_id))
                except smtplib.SMTPServerDisconnected as error:
                    _finish(message, *_classify(error), now=now)
                    report.outcomes[_Outcome.IN_DOUBT] += 1
                    lost = True
                except Exception as error:  # classified per message; the batch carries on
                    outcome, code, reason = _classify(error)
                    retry_at = _finish(message, outcome, code, reason, now=now)
                    report.outcomes[outcome] += 1
                    if retry_at and (
                        report.next_retry_at is None or retry_at < report.next_retry_at
                    ):
                        report.next_retry_at = retry_at
                    if not isinstance(error, EXPECTED_ERRORS):
                        _log_unexpected(message, error, stage="being sent")
                        # The conversation with the server may be half-way through this
                        # message: the next one starts on a fresh connection.
                        lost = message.channel == Channel.EMAIL and not _reconnect(smtp)
                else:
                    sent.append(message)
                if lost:
                    # The rest were never sent (those handed over) or never handed over.
                    until = now + SERVER_DOWN_WAIT
                    unsent = handing.handed[index + 1 :]
                    _return_unsent(unsent, until=until, now=now)
                    rest = [message for later in groups[position + 1 :] for message in later]
                    _release_unsent(rest, until=until, reason="Mail server unreachable")
                    report.server_error = "connection lost"
                    report.outcomes["waiting (server down)"] += len(unsent) + len(rest)
                    break
            _record_sent(sent, now=now)
            if sent:
                report.outcomes[_Outcome.SENT] += len(sent)
            marketing_sent.update(
                message.campaign_id for message in sent if message.campaign_id is not None
            )
            if lost:
                break
    finally:
        smtp.close()
    for campaign_id, count in marketing_sent.items():
        with transaction.atomic():
            record(
                Event.MARKETING_BATCH_SENT,
                data={"campaign": campaign_id, "sent": count},
            )
    return report


def deliver_all_due(*, now: datetime | None = None, rounds: int = 1000) -> DeliveryReport:
    """Keep delivering batches until nothing is due (or the mail server stops answering)."""
    total = DeliveryReport()
    with acting_as(Actor.system("outbox")):
        for _ in range(rounds):
            report = deliver_batch(now=now)
            total.claimed += report.claimed
            total.outcomes.update(report.outcomes)
            total.server_error = report.server_error or total.server_error
            if report.next_retry_at and (
                total.next_retry_at is None or report.next_retry_at < total.next_retry_at
            ):
                total.next_retry_at = report.next_retry_at
            if report.claimed == 0 or report.server_error:
                break
    return total
