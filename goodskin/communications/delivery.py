"""Delivering the outbox: every accepted message goes out at most once, and none is lost.

A message moves QUEUED → CLAIMED → SENDING → SENT, or back to QUEUED to retry, or to FAILED,
SUPPRESSED or CANCELLED. Transactions, in order:

1. Claim: one short transaction takes a batch of due messages (SKIP LOCKED on PostgreSQL, so
   any number of workers share the queue).
2. Hand-over: per message, one transaction decides whether it may go *now* (erased person,
   opt-out, suppression: DESIGN invariant 5) and, if so, marks it SENDING and records the attempt.
   This commits before the SMTP call.
3. Outcome: per message, one transaction records what the server said.

A worker killed between 2 and 3 leaves a SENDING row that nobody resends: after the lease it is
set aside as IN_DOUBT for a person to release or cancel. Messages only CLAIMED when a worker died
were never handed over and simply return to the queue. A mail server that cannot be reached
sends the batch back to the queue without counting it against the messages' attempts.

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
    Rendered,
    render_marketing,
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


def _why_not(message: Message, fingerprint: Fingerprinter) -> tuple[Status, str] | None:
    """Why this message must not go now, or None. Runs inside the hand-over transaction, with
    the person's choice locked, so an opt-out committed before this point always wins."""
    address = _address(message)
    if address is None:
        return Status.CANCELLED, "No address: the person was erased or gave none"
    if message.campaign is not None and message.campaign.status == CampaignStatus.CANCELLED:
        return Status.CANCELLED, "Campaign cancelled by staff"
    if message.kind == Kind.ESSENTIAL and message.topic != Topic.REMINDERS:
        return None
    if message.person is None:  # only farewells have no person, and they are essential
        return Status.CANCELLED, "No person to check the choices of"
    choice = (
        Subscription.objects.select_for_update()
        .filter(person=message.person, topic=message.topic, channel=message.channel)
        .values_list("subscribed", flat=True)
        .first()
    )
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
    if MarketingPause.objects.filter(person=message.person, lifted_at__isnull=True).exists():
        return (
            Status.SUPPRESSED,
            "Marketing is paused while we check whether the person is under 18",
        )
    reason = (
        Suppression.objects.filter(
            fingerprint=fingerprint(message.channel, address), topic__in=["", message.topic]
        )
        .values_list("reason", flat=True)
        .first()
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
    _forget(message)


def cancel_farewell(*, dedupe_key: str) -> None:
    """A waiting farewell that must not go (a legal hold kept the data): closed like any message
    that is not sent, so its words, address and key are forgotten and the audit log says so."""
    now = timezone.now()
    for message in Message.objects.filter(dedupe_key=dedupe_key, status=Status.WAITING):
        _close(message, Status.CANCELLED, "Not sent: the data was kept under a legal hold", now=now)


def _hand_over(message: Message, fingerprint: Fingerprinter, *, now: datetime) -> bool:
    with transaction.atomic():
        refusal = _why_not(message, fingerprint)
        if refusal is None:
            updated = Message.objects.filter(
                pk=message.pk, status=Status.CLAIMED, claim_token=message.claim_token
            ).update(status=Status.SENDING, attempts=message.attempts + 1, claimed_at=now)
            if not updated:
                return False  # recovered by another worker after a long stall: not ours now
            message.attempts += 1
            DeliveryAttempt.objects.create(message=message, started_at=now)
            return True
    _close(message, refusal[0], refusal[1], now=now)
    return False


def _campaign_text(message: Message) -> CampaignText:
    campaign: Campaign = message.campaign  # type: ignore[assignment]  # only called for campaigns
    spanish = message.language == "es"
    return CampaignText(
        subject=campaign.subject_es if spanish else campaign.subject_en,
        body=campaign.body_es if spanish else campaign.body_en,
        topic=campaign.topic,
    )


def _render(message: Message) -> Rendered:
    if message.campaign is None:
        return Rendered(subject=message.subject or "", text=message.body or "")
    text = _campaign_text(message)
    if message.channel == Channel.SMS:
        return render_marketing_sms(text=text, language=message.language)
    link = UnsubscribeLink(
        link_id=_link_id(message),
        topic=message.topic,
        channel=message.channel,
        campaign_id=message.campaign_id,
    )
    return render_marketing(text=text, language=message.language, link=link)


def _link_id(message: Message) -> uuid.UUID:
    assert message.person is not None  # campaigns always go to a person
    return preferences_of(message.person, language=message.language).link_id


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
    """Record the result; return when to try again, if a retry was scheduled."""
    retry_at: datetime | None = None
    with transaction.atomic():
        attempt = DeliveryAttempt.objects.filter(message=message, finished_at__isnull=True)
        attempt.update(finished_at=now, outcome=outcome, smtp_code=code, error=reason[:200])
        changes: dict[str, Any] = {"claim_token": None, "last_error": reason[:200]}
        if outcome == _Outcome.SENT:
            changes |= {"status": Status.SENT, "sent_at": now, "last_error": ""}
        elif outcome == _Outcome.RETRY and message.attempts < settings.OUTBOX["MAX_ATTEMPTS"]:
            retry_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            changes |= {"status": Status.QUEUED, "next_attempt_at": retry_at}
        elif outcome == _Outcome.IN_DOUBT:
            changes |= {"status": Status.IN_DOUBT}
        else:
            if outcome == _Outcome.RETRY:
                changes["last_error"] = f"Gave up after {message.attempts} attempts. {reason}"
            changes |= {"status": Status.FAILED, "next_attempt_at": now}
        if changes["status"] in {Status.SENT, Status.FAILED}:
            changes |= _forgotten(message)
        Message.objects.filter(pk=message.pk).update(**changes)
        if outcome == _Outcome.SENT and message.kind == Kind.ESSENTIAL:
            record(
                Event.EMAIL_SENT if message.channel == Channel.EMAIL else Event.SMS_SENT,
                subject=message.person,
                target=message,
                data={"template": message.template.replace("/email/", ".").replace("/", ".")},
            )
        elif changes["status"] == Status.IN_DOUBT:
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
    if changes["status"] in {Status.SENT, Status.FAILED}:
        _forget(message)
    if outcome == _Outcome.FAILED and code is not None and code >= 500 and message.person:
        suppress_bounced_address(person=message.person, channel=message.channel)
    return retry_at


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
    marketing_sent: Counter[int] = Counter()
    try:
        for index, message in enumerate(batch):
            try:
                handed_over = _hand_over(message, fingerprint, now=now)
            except Exception as error:  # one message's fault must not stop the batch
                _set_aside_unsent(message, error, now=now)
                report.outcomes[str(Status.FAILED)] += 1
                continue
            if not handed_over:
                message.refresh_from_db(fields=["status"])
                report.outcomes[str(message.status)] += 1
                continue
            address = _address(message) or ""
            try:
                rendered = _render(message)
                if message.channel == Channel.EMAIL:
                    smtp.send_messages([build_email(message, address, rendered)])
                else:
                    sms.send(to=address, body=rendered.text, message_id=str(message.message_id))
            except smtplib.SMTPServerDisconnected as error:
                _finish(message, *_classify(error), now=now)
                report.outcomes[_Outcome.IN_DOUBT] += 1
                # The connection is gone: the rest were never handed over and simply wait.
                rest = batch[index + 1 :]
                _release_unsent(
                    rest, until=now + SERVER_DOWN_WAIT, reason="Mail server unreachable"
                )
                report.server_error = "connection lost"
                report.outcomes["waiting (server down)"] += len(rest)
                break
            except Exception as error:  # classified per message; the batch carries on
                outcome, code, reason = _classify(error)
                retry_at = _finish(message, outcome, code, reason, now=now)
                report.outcomes[outcome] += 1
                if retry_at and (report.next_retry_at is None or retry_at < report.next_retry_at):
                    report.next_retry_at = retry_at
                if not isinstance(error, EXPECTED_ERRORS):
                    _log_unexpected(message, error, stage="being sent")
                    # The conversation with the server may be half-way through this message:
                    # the next one starts on a fresh connection.
                    if message.channel == Channel.EMAIL and not _reconnect(smtp):
                        rest = batch[index + 1 :]
                        _release_unsent(
                            rest, until=now + SERVER_DOWN_WAIT, reason="Mail server unreachable"
                        )
                        report.server_error = "connection lost"
                        report.outcomes["waiting (server down)"] += len(rest)
                        break
            else:
                _finish(message, _Outcome.SENT, 250, "", now=now)
                report.outcomes[_Outcome.SENT] += 1
                if message.campaign_id is not None:
                    marketing_sent[message.campaign_id] += 1
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
