"""Communications benchmarks (issue 5), each a ratio against a baseline in the same run:

(a) outbox_vs_raw_smtplib: BENCH_OUTBOX_MESSAGES (default 2 000) campaign emails delivered by the
    outbox (claim, hand-over and outcome transactions, send-time opt-out and suppression checks,
    rendering, per-domain limit, audit) to a local aiosmtpd server, against raw smtplib sending
    the same rendered messages over one connection.
(b) suppression_check_at_1m_vs_empty_list: the send-time check for one marketing message (lock
    the person's choice, fingerprint the address, look it up) with BENCH_SUPPRESSED (default
    1 000 000) suppressed addresses, against the same check with an empty list; and against one
    raw indexed lookup.
(c) campaign_fanout_vs_raw_insert: queueing a campaign to BENCH_CAMPAIGN_PEOPLE (default 100 000)
    people in 1 000-person transactions, against one raw INSERT … SELECT of the same rows.
(d) campaign_two_workers_vs_one: a campaign of BENCH_WORKERS_MESSAGES (default 20 000) delivered
    by two `manage.py deliver_outbox` processes at once, against the same size delivered by one,
    to the same local SMTP server; and what a 100 000-recipient campaign takes at that rate.
"""

from __future__ import annotations

import email.policy
import os
import secrets
import smtplib
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import override_settings
from django.urls import get_resolver
from django.utils import timezone

from bench.common import RUN
from goodskin.communications.actions.campaigns import (
    cancel_campaign,
    queue_campaign_batch,
    save_campaign,
    schedule_campaign,
)
from goodskin.communications.delivery import _why_not, deliver_all_due
from goodskin.communications.fingerprints import Fingerprinter
from goodskin.communications.models import Campaign, Message, Status, Suppression
from goodskin.communications.rendering import CampaignText, render_marketing
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.core.smtp_sink import SmtpSink

MESSAGES = int(os.environ.get("BENCH_OUTBOX_MESSAGES", "2000"))
WORKERS_MESSAGES = int(os.environ.get("BENCH_WORKERS_MESSAGES", "20000"))
SUPPRESSED = int(os.environ.get("BENCH_SUPPRESSED", "1000000"))
CAMPAIGN_PEOPLE = int(os.environ.get("BENCH_CAMPAIGN_PEOPLE", "100000"))
VERIFIED = datetime(2026, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def _people(first: int, count: int, domain: str) -> list[int]:
    """`count` verified people who chose offers by email, written in bulk."""
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO vault_person (key_id, email, email_verified_at, created_at) "
            "VALUES (%s, %s, %s, %s)",
            [
                (uuid.uuid4().hex, f"p{number}@{domain}", VERIFIED, now)
                for number in range(first, first + count)
            ],
        )
        cursor.execute(
            "SELECT id FROM vault_person WHERE email LIKE %s ORDER BY id", [f"%@{domain}"]
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.executemany(
            "INSERT INTO communications_subscription "
            "(person_id, topic, channel, subscribed, source, changed_at) "
            "VALUES (%s, 'offers', 'email', %s, 'account', %s)",
            [(person_id, True, now) for person_id in ids],
        )
        cursor.executemany(
            "INSERT INTO communications_contactpreferences "
            "(person_id, link_id, language, updated_at) VALUES (%s, %s, 'en', %s)",
            [(person_id, uuid.uuid4().hex, now) for person_id in ids],
        )
    return ids


def _campaign(name: str) -> Campaign:
    offer = save_campaign(
        campaign=Campaign(
            name=name,
            topic="offers",
            channel="email",
            subject_en="Winter glow: 20% off hydrating facials",
            body_en="Cold air dries skin.\n\nBook a hydrating facial before 31 December.",
            subject_es="Brillo de invierno",
            body_es="El aire frío reseca la piel.",
        )
    )
    return schedule_campaign(campaign=offer, send_at=timezone.now())


def _outbox_vs_smtplib(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    sink = SmtpSink().start()
    mailer = {
        "default": {
            "BACKEND": "goodskin.communications.smtp.SigningSmtpBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 20},
        }
    }
    try:
        with override_settings(MAILERS=mailer, OUTBOX={**settings.OUTBOX, "DOMAIN_LIMIT": 10**9}):
            deliver_all_due()  # what the earlier suites queued goes first, outside the timing
            sink.clear()
            _people(0, MESSAGES, f"outbox.{RUN}.example")
            offer = _campaign("bench outbox")
            while not queue_campaign_batch(campaign_id=offer.pk):
                pass
            progress(f"queued {MESSAGES:,} campaign messages")
            # Both sides start with the site's URL routes loaded (the first reverse() in a
            # process imports them all); the baseline's render below would load them anyway.
            get_resolver().url_patterns  # noqa: B018  (loading them is the point)
            started = time.perf_counter()
            result = deliver_all_due()
            ours = time.perf_counter() - started
            assert result.outcomes["sent"] == MESSAGES, result.line()
            assert len(sink.messages) == MESSAGES

            # The same content, built as MIME with the standard library and sent by hand over
            # one connection: what a script with smtplib would do.
            link = UnsubscribeLink(uuid.uuid4(), "offers", "email", offer.pk)
            text = CampaignText(offer.subject_en, offer.body_en, "offers")
            rendered = render_marketing(text=text, language="en", link=link)
            sink.clear()
            started = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", sink.port, timeout=20) as client:
                for n in range(MESSAGES):
                    mime = EmailMessage()
                    mime["From"] = settings.MARKETING_FROM_EMAIL
                    mime["To"] = f"p{n}@outbox.{RUN}.example"
                    mime["Subject"] = rendered.subject
                    mime["Message-ID"] = f"<{uuid.uuid4()}@goodskinclinics.com>"
                    for name, value in rendered.headers.items():
                        mime[name] = value
                    mime.set_content(rendered.text)
                    mime.add_alternative(rendered.html, subtype="html")
                    client.sendmail(
                        "news@goodskinclinics.com",
                        [f"p{n}@outbox.{RUN}.example"],
                        mime.as_bytes(policy=email.policy.SMTP),
                    )
            baseline = time.perf_counter() - started
            assert len(sink.messages) == MESSAGES
    finally:
        sink.stop()
    report(
        f"outbox_vs_raw_smtplib: {ours / baseline:.2f}x ({MESSAGES / ours:,.0f} vs "
        f"{MESSAGES / baseline:,.0f} messages/s to a local aiosmtpd server, "
        f"{baseline / ours:.2f} of smtplib's throughput; per message the outbox "
        "adds its claim, the send-time opt-out and suppression checks (a transaction for each "
        f"{settings.OUTBOX['HANDOVER_GROUP']} campaign messages), rendering and the domain limit)"
    )


def _median(run: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            run()
        samples.append((time.perf_counter() - started) / repeat)
    return statistics.median(samples)


def _suppression_check(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    ids = _people(0, 200, f"check.{RUN}.example")
    offer = _campaign("bench check")
    Message.objects.bulk_create(
        Message(
            person_id=person_id,
            kind="marketing",
            channel="email",
            topic="offers",
            template="campaign",
            language="en",
            campaign=offer,
            next_attempt_at=timezone.now(),
            status=Status.CLAIMED,
        )
        for person_id in ids
    )
    messages = list(Message.objects.filter(campaign=offer).select_related("person", "campaign"))
    fingerprint = Fingerprinter()
    index = iter(range(10**9))

    def check() -> None:
        message = messages[next(index) % len(messages)]
        assert _why_not(message, fingerprint) is None

    def checks() -> float:
        # Inside one transaction, as in delivery, where the check shares the hand-over's.
        with transaction.atomic():
            return _median(check, 400)

    empty = checks()
    progress(f"writing {SUPPRESSED:,} suppressed fingerprints")
    with connections["keyring"].cursor() as cursor:
        for start in range(0, SUPPRESSED, 50_000):
            with transaction.atomic(using="keyring"):
                cursor.executemany(
                    "INSERT INTO communications_suppression (fingerprint, channel, topic, "
                    "reason, created_at) VALUES (%s, 'email', '', 'unsubscribed', %s)",
                    [
                        (secrets.token_hex(32), VERIFIED)
                        for _ in range(min(50_000, SUPPRESSED - start))
                    ],
                )
    assert Suppression.objects.count() >= SUPPRESSED
    full = checks()
    probe = fingerprint("email", f"p1@check.{RUN}.example")

    def raw_lookup() -> None:
        with connections["keyring"].cursor() as cursor:
            cursor.execute(
                "SELECT reason FROM communications_suppression WHERE fingerprint = %s", [probe]
            )
            cursor.fetchone()

    raw = _median(raw_lookup, 2000)
    # These messages were only ever checked; none may go out later from the database left behind.
    Message.objects.filter(campaign=offer).update(status=Status.CANCELLED)
    micro = 1_000_000
    report(
        f"suppression_check_at_1m_vs_empty_list: {full / empty:.2f}x ({full * micro:.0f} µs vs "
        f"{empty * micro:.0f} µs per marketing message, {SUPPRESSED:,} vs 0 suppressed; "
        f"one raw indexed lookup {raw * micro:.0f} µs)"
    )


def _fanout(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    progress(f"writing {CAMPAIGN_PEOPLE:,} subscribed people")
    _people(0, CAMPAIGN_PEOPLE, f"fanout.{RUN}.example")
    offer = _campaign("bench fan-out")
    started = time.perf_counter()
    batches = 1
    while not queue_campaign_batch(campaign_id=offer.pk):
        batches += 1
    ours = time.perf_counter() - started
    queued = Message.objects.filter(campaign=offer).count()
    cancel_campaign(campaign=offer)  # the fan-out was the measurement; nobody is to be mailed
    raw_campaign = _campaign("bench fan-out raw")
    # A fresh random id per row, written in each engine's own words.
    random_id = (
        "lower(hex(randomblob(16)))" if connection.vendor == "sqlite" else "gen_random_uuid()"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO communications_message (message_id, person_id, kind, channel, topic, "  # noqa: S608  (our own fixed text)
            "template, language, campaign_id, dedupe_key, status, attempts, next_attempt_at, "
            "last_error, created_at) "
            f"SELECT {random_id}, p.id, 'marketing', 'email', 'offers', "
            "'campaign', 'en', %s, 'raw:' || p.id, 'cancelled', 0, %s, '', %s "
            "FROM vault_person p JOIN communications_subscription s ON s.person_id = p.id "
            "WHERE p.email LIKE %s AND s.subscribed",
            [raw_campaign.pk, VERIFIED, VERIFIED, f"%@fanout.{RUN}.example"],
        )
    baseline = time.perf_counter() - started
    report(
        f"campaign_fanout_vs_raw_insert: {ours / baseline:.2f}x ({ours:.2f} s vs {baseline:.2f} s "
        f"for {queued:,} recipients; ours in {batches} transactions of 1,000 taking "
        f"{ours / batches * 1000:.0f} ms each on average, never in the web process)"
    )


def _delivered_by(
    workers: int, name: str, port: int, progress: Callable[[str], None]
) -> tuple[float, int]:
    """Seconds for `workers` worker processes to deliver a fresh campaign, and how many it had:
    WORKERS_MESSAGES new people, and whoever else chose offers on the database (demo data)."""
    _leave_the_audience()  # the earlier suites' people, and the other run's
    _people(0, WORKERS_MESSAGES, f"{name}.{RUN}.example")
    offer = _campaign(f"bench {name}")
    while not queue_campaign_batch(campaign_id=offer.pk):
        pass
    queued = Message.objects.filter(campaign=offer).count()
    progress(f"{workers} worker(s) delivering {queued:,} campaign messages")
    environment = os.environ | {
        "SMTP_PORT": str(port),
        "OUTBOX_DOMAIN_LIMIT_PER_MINUTE": str(10**9),
        "LOG_LEVEL": "ERROR",
    }
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603  (our own manage.py)
            [sys.executable, "manage.py", "deliver_outbox"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    for process in processes:
        if process.wait(timeout=3600) != 0:
            raise RuntimeError(f"a delivery worker stopped with {process.returncode}")
    elapsed = time.perf_counter() - started
    sent = Message.objects.filter(campaign=offer, status=Status.SENT).count()
    if sent != queued:
        raise RuntimeError(f"{sent:,} of {queued:,} sent by {workers} worker(s)")
    return elapsed, queued


def _two_workers(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    sink = SmtpSink().start()
    try:
        one, size = _delivered_by(1, "workers1", sink.port, progress)
        sink.clear()
        two, size_two = _delivered_by(2, "workers2", sink.port, progress)
    finally:
        sink.stop()
    rate = size_two / two
    report(
        f"campaign_two_workers_vs_one: {(two / size_two) / (one / size):.2f}x ({size_two:,} "
        f"campaign messages by two worker processes in {two:.1f} s, {rate:,.0f}/s; {size:,} by "
        f"one in {one:.1f} s, {size / one:,.0f}/s; a 100,000-recipient campaign takes "
        f"{100_000 / rate / 60:.1f} min with two, on {connection.vendor} and a local SMTP server)"
    )


def run(report: Callable[[str], None], progress: Callable[[str], None]) -> None:
    try:
        _outbox_vs_smtplib(report, progress)
        _suppression_check(report, progress)
        _fanout(report, progress)
        _two_workers(report, progress)
    finally:
        _leave_the_audience()


def _leave_the_audience() -> None:
    """A campaign goes to everyone who chose offers: this run's people must not be in the next
    run's audience (or in the site's, on a database it keeps using)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE communications_subscription SET subscribed = FALSE WHERE person_id IN "
            "(SELECT id FROM vault_person WHERE email LIKE %s)",
            [f"%.{RUN}.example"],
        )
