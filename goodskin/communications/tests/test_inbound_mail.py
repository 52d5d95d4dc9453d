"""Mail that comes back: a `mailto:` unsubscribe works like the link, a person who just writes
"unsubscribe" is heard too, and a bounce report stops marketing to a dead address."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from goodskin.communications.actions.campaigns import queue_campaign_batch, schedule_campaign
from goodskin.communications.models import Message, Status, Suppression
from goodskin.communications.queries import choices_for
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person
from goodskin.core.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


def offer_sent_to_rosa(smtp_sink: SmtpSink) -> tuple[object, str]:
    rosa = opted_in(person("rosa@example.com"), "offers", "newsletter")
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    queue_campaign_batch(campaign_id=offer.pk)
    deliver()
    [message] = smtp_sink.wait_for(1)
    return rosa, str(message["List-Unsubscribe"])


def process(*paths: Path) -> str:
    out = StringIO()
    call_command("process_inbound_mail", *map(str, paths), stdout=out)
    return out.getvalue().strip()


def test_the_mailto_in_list_unsubscribe_unsubscribes_from_that_list(
    smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    rosa, header = offer_sent_to_rosa(smtp_sink)
    subject = re.search(r"subject=unsubscribe%20([^>]+)>", header).group(1)  # type: ignore[union-attr]  # present
    reply = tmp_path / "reply.eml"
    reply.write_bytes(
        b"From: Rosa <rosa@example.com>\r\nTo: unsubscribe@goodskinclinics.com\r\n"
        + f"Subject: unsubscribe {subject}\r\n\r\n\r\n".encode()
    )

    assert process(reply) == "1 unsubscribed, 0 bounced, 0 ignored"
    assert process(reply) == "1 unsubscribed, 0 bounced, 0 ignored"  # again: no change, no harm

    assert choices_for(rosa)[("offers", "email")] is False  # type: ignore[arg-type]  # a Person
    assert choices_for(rosa)[("newsletter", "email")] is True  # type: ignore[arg-type]  # a Person


def test_a_person_who_writes_unsubscribe_gets_no_more_marketing(tmp_path: Path) -> None:
    rosa = opted_in(person("rosa@example.com"), "offers", "newsletter")
    letter = tmp_path / "letter.eml"
    letter.write_bytes(
        b"From: Rosa@Example.com\r\nTo: info@goodskinclinics.com\r\nSubject: Unsubscribe me"
        b"\r\n\r\nPlease stop the newsletters.\r\n"
    )

    assert process(letter) == "1 unsubscribed, 0 bounced, 0 ignored"
    assert choices_for(rosa)[("offers", "email")] is False
    assert choices_for(rosa)[("newsletter", "email")] is False
    assert sorted(Suppression.objects.values_list("topic", "reason")) == [
        ("", "unsubscribed"),
        ("newsletter", "unsubscribed"),
        ("offers", "unsubscribed"),
    ]


def test_a_bounce_report_fails_the_message_and_suppresses_marketing_to_the_address(
    smtp_sink: SmtpSink, tmp_path: Path
) -> None:
    offer_sent_to_rosa(smtp_sink)
    sent = Message.objects.get()
    report = tmp_path / "bounce.eml"
    report.write_bytes(
        (
            "From: MAILER-DAEMON@mx.example.com\r\n"
            "To: news@goodskinclinics.com\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
            "--b1\r\nContent-Type: text/plain\r\n\r\nThe mailbox does not exist.\r\n"
            "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.example.com\r\n\r\n"
            "Final-Recipient: rfc822; rosa@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"Message-ID: <{sent.message_id}@goodskinclinics.com>\r\n"
            "--b1--\r\n"
        ).encode()
    )

    assert process(report) == "0 unsubscribed, 1 bounced, 0 ignored"

    sent.refresh_from_db()
    assert sent.status == Status.FAILED
    assert sent.last_error == "Returned by the recipient's mail server after sending"
    assert Suppression.objects.get().reason == "bounced"


def test_unrelated_mail_is_ignored_and_a_missing_file_is_named(tmp_path: Path) -> None:
    note = tmp_path / "note.eml"
    note.write_bytes(b"From: a@example.com\r\nSubject: Opening hours?\r\n\r\nHi\r\n")
    assert process(note) == "0 unsubscribed, 0 bounced, 1 ignored"
    with pytest.raises(CommandError, match=r"^no such file: .*missing\.eml$"):
        call_command("process_inbound_mail", str(tmp_path / "missing.eml"))
