"""The outbox against a real local SMTP server: written with the action, delivered by the
worker, at most once, retried when the server says "later", never lost when it is down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from goodskin.accounts.actions import request_password_reset
from goodskin.accounts.tests.conftest import make_account
from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.actions.choices import unsubscribe_from_marketing
from goodskin.communications.actions.outbox import queue_essential_email
from goodskin.communications.delivery import BACKOFF
from goodskin.communications.models import DeliveryAttempt, Message, Source, Status, Suppression
from goodskin.communications.queries import outbox_health
from goodskin.communications.rendering import HeaderInjection
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person, statuses
from goodskin.core.smtp_sink import SmtpSink
from goodskin.vault.actions import erase_person
from goodskin.vault.models import ErasureReason

pytestmark = pytest.mark.django_db


def queue_reset_like_email(someone: object, **extra: object) -> Message | None:
    return queue_essential_email(
        person=someone,  # type: ignore[arg-type]  # a Person
        template="accounts/email/password_changed",
        language="en",
        context={"user": {"full_name": "Rosa Delgado"}, "link": "https://example.test/x"},
        **extra,  # type: ignore[arg-type]  # dedupe_key
    )


def test_unsubscribed_person_gets_no_marketing_but_still_gets_password_reset(
    smtp_sink: SmtpSink, queue_only: None, django_capture_on_commit_callbacks: object
) -> None:
    user = make_account(verified=True)
    rosa = opted_in(person("rosa@example.com"), "offers")
    assert user.person_id == rosa.pk
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    deliver()  # nothing queued yet: the campaign's audience is queued by its task
    queue_campaign_batch(campaign_id=offer.pk)
    unsubscribe_from_marketing(person=rosa, source=Source.ACCOUNT)
    request_password_reset(email="rosa@example.com")

    report = deliver()

    [reset] = smtp_sink.messages
    assert reset["Subject"] == "Reset your GoodSkin password"
    assert reset["X-GoodSkin-Kind"] == "essential"
    assert "List-Unsubscribe" not in reset
    assert report.outcomes == {"sent": 1, "suppressed": 1}
    marketing = Message.objects.get(kind="marketing")
    assert marketing.status == Status.SUPPRESSED
    assert marketing.last_error == "The person has not chosen to get these messages"
    assert marketing.attempts == 0
    assert not DeliveryAttempt.objects.filter(message=marketing).exists()


def test_an_unsubscribe_one_second_before_a_queued_campaign_goes_out_is_honoured(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    rosa = opted_in(person("rosa@example.com"), "offers")
    opted_in(person("lena@example.com"), "offers")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    assert queue_campaign_batch(campaign_id=offer.pk) is True
    assert statuses() == ["queued", "queued"]  # queued while Rosa was still subscribed

    unsubscribe_from_marketing(person=rosa, source=Source.LINK)
    deliver()

    [sent] = smtp_sink.messages
    assert sent["To"] == "lena@example.com"
    assert statuses() == ["suppressed", "sent"]


def test_a_message_is_written_with_its_action_and_vanishes_with_its_rollback(
    smtp_sink: SmtpSink,
) -> None:
    rosa = person()

    def failing_action() -> None:
        with transaction.atomic():
            queue_reset_like_email(rosa)
            raise RuntimeError("the action failed after queueing")

    with pytest.raises(RuntimeError):
        failing_action()
    assert Message.objects.count() == 0
    deliver()
    assert smtp_sink.messages == []


def test_a_queued_message_is_delivered_once_and_forgets_its_words_but_not_its_subject(
    smtp_sink: SmtpSink,
) -> None:
    rosa = person()
    message = queue_reset_like_email(rosa)
    assert message is not None
    assert message.subject == "Your GoodSkin password was changed"
    assert bytes(message.subject_sealed or b"").find(b"password") == -1  # sealed, not plain

    deliver()
    deliver()

    [sent] = smtp_sink.messages
    assert sent["Message-ID"] == f"<{message.message_id}@goodskinclinics.com>"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert message.subject == "Your GoodSkin password was changed"  # for the person's own copy
    assert message.body_sealed is None
    entry = AuditEntry.objects.get(event=Event.EMAIL_SENT)
    assert (entry.subject_id, entry.data) == (
        str(rosa.pk),
        {"template": "accounts.password_changed"},
    )


def test_the_same_dedupe_key_queues_nothing_twice(smtp_sink: SmtpSink) -> None:
    rosa = person()
    assert queue_reset_like_email(rosa, dedupe_key="rights-receipt:7") is not None
    assert queue_reset_like_email(rosa, dedupe_key="rights-receipt:7") is None
    deliver()
    assert len(smtp_sink.messages) == 1


def test_a_temporary_refusal_is_retried_with_back_off_then_delivered(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    rosa = person()
    message = queue_reset_like_email(rosa)
    assert message is not None
    smtp_sink.refuse_data = "451 4.3.0 Mailbox busy, try again later"
    start = timezone.now()

    deliver(now=start)

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at == start + BACKOFF[0]
    assert message.last_error == "The mail server asked us to try later (451)"
    assert message.subject == "Your GoodSkin password was changed"  # kept for the retry
    deliver(now=start + timedelta(seconds=30))  # not due yet
    assert message.attempts == Message.objects.get().attempts

    smtp_sink.refuse_data = None
    deliver(now=start + BACKOFF[0])

    [sent] = smtp_sink.messages
    assert sent["Subject"] == "Your GoodSkin password was changed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert list(DeliveryAttempt.objects.order_by("pk").values_list("outcome", "smtp_code")) == [
        ("retry", 451),
        ("sent", 250),
    ]


def test_after_the_last_attempt_the_outbox_gives_up_and_keeps_the_reason(
    smtp_sink: SmtpSink, queue_only: None, settings: Settings
) -> None:
    settings.OUTBOX = {**settings.OUTBOX, "MAX_ATTEMPTS": 3}
    message = queue_reset_like_email(person())
    assert message is not None
    smtp_sink.refuse_data = "421 4.7.0 Too many connections"
    now = timezone.now()
    for _ in range(3):
        deliver(now=now)
        now += timedelta(days=1)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 3
    assert message.last_error == (
        "Gave up after 3 attempts. The mail server asked us to try later (421)"
    )
    assert message.body_sealed is None
    deliver(now=now)
    assert Message.objects.get().attempts == 3
    assert smtp_sink.messages == []


def test_a_mail_server_that_is_down_makes_messages_wait_and_loses_nothing(
    smtp_sink: SmtpSink, queue_only: None, settings: Settings
) -> None:
    message = queue_reset_like_email(person())
    assert message is not None
    working = settings.MAILERS
    closed_port = {**working["default"]["OPTIONS"], "port": 9}  # discard port: nothing listens
    settings.MAILERS = {"default": {**working["default"], "OPTIONS": closed_port}}
    now = timezone.now()

    report = deliver(now=now)

    assert report.server_error.startswith("unreachable (ConnectionRefusedError")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 0)  # not the message's fault
    assert message.last_error == "Mail server unreachable"
    health = outbox_health(now=now)
    assert (health.waiting, health.last_error) == (1, "")

    settings.MAILERS = working
    deliver(now=now + timedelta(minutes=1))
    assert len(smtp_sink.messages) == 1
    assert Message.objects.get().status == Status.SENT


def test_a_rejected_address_fails_at_once_and_gets_no_more_marketing(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    rosa = opted_in(person("gone@example.com"), "offers")
    smtp_sink.refuse_recipients["gone@example.com"] = "550 5.1.1 No such mailbox"
    message = queue_reset_like_email(rosa)
    assert message is not None

    deliver()

    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        Status.FAILED,
        "The mail server refused the message (550)",
    )
    assert list(Suppression.objects.values_list("channel", "reason")) == [("email", "bounced")]
    # The fingerprint is not the address.
    assert "gone" not in Suppression.objects.get().fingerprint


def test_a_message_to_someone_erased_before_sending_is_cancelled_not_sent(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    rosa = person()
    queue_reset_like_email(rosa)
    erase_person(person=rosa, reason=ErasureReason.DELETION_REQUEST)

    deliver()

    assert smtp_sink.messages == []
    message = Message.objects.get()
    assert message.status == Status.CANCELLED
    assert message.last_error == "No address: the person was erased or gave none"


def test_the_domain_limit_defers_the_rest_to_the_next_minute_without_counting_an_attempt(
    smtp_sink: SmtpSink, queue_only: None, settings: Settings
) -> None:
    settings.OUTBOX = {**settings.OUTBOX, "DOMAIN_LIMIT": 2}
    for name in ("ana", "ben", "cai"):
        queue_reset_like_email(person(f"{name}@example.com"))
    queue_reset_like_email(person("dee@example.org"))
    now = timezone.now()

    deliver(now=now)

    assert sorted(message["To"] for message in smtp_sink.messages) == [
        "ana@example.com",
        "ben@example.com",
        "dee@example.org",
    ]
    waiting = Message.objects.get(status=Status.QUEUED)
    assert (waiting.attempts, waiting.next_attempt_at) == (0, now + timedelta(minutes=1))
    deliver(now=now + timedelta(minutes=1))
    assert len(smtp_sink.messages) == 4


def test_a_subject_with_a_line_break_is_refused_and_nothing_is_queued() -> None:
    rosa = person()
    with pytest.raises(HeaderInjection, match="The subject must be a single line"):
        queue_essential_email(
            person=rosa,
            template="communications/tests/injected",
            language="en",
            context={"name": "Eve\r\nBcc: everyone@example.net"},
        )
    assert Message.objects.count() == 0


def test_a_name_with_a_line_break_is_refused_on_its_field_and_nothing_is_sent(
    client: Client, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            "/contact/",
            {
                "full_name": "Eve\r\nBcc: everyone@example.net",
                "email": "eve@example.com",
                "topic": "question",
                "message": "Hello there, a question about peels.",
            },
        )
    assert response.status_code == 400
    assert response.context["form"].errors["full_name"]
    assert Message.objects.count() == 0
    assert smtp_sink.messages == []
