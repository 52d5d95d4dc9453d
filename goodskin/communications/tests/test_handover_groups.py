"""Campaign messages are handed over in groups: one transaction checks a group's choices,
pauses, suppressions and cancellations, with the people's choices locked; every check of the
one-by-one hand-over still decides each message, and essential mail is never grouped."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from goodskin.audit.events import Event
from goodskin.audit.models import AuditEntry
from goodskin.communications.actions.campaigns import (
    cancel_campaign,
    queue_campaign_batch,
    schedule_campaign,
)
from goodskin.communications.actions.choices import (
    pause_marketing,
    suppress_bounced_address,
    unsubscribe_from_marketing,
)
from goodskin.communications.delivery import _groups, claim
from goodskin.communications.models import (
    Campaign,
    DeliveryAttempt,
    Kind,
    Message,
    PauseReason,
    Source,
    Status,
)
from goodskin.communications.rendering import (
    CampaignText,
    MarketingRenderer,
    render_marketing,
    unsubscribe_url,
)
from goodskin.communications.tests.conftest import campaign, deliver, opted_in, person, statuses
from goodskin.communications.tokens import UnsubscribeLink
from goodskin.core.smtp_sink import SmtpSink
from goodskin.vault.models import Person

pytestmark = pytest.mark.django_db


def queued_campaign_to(*addresses: str) -> list[Person]:
    people = [opted_in(person(address), "offers") for address in addresses]
    offer = campaign()
    schedule_campaign(campaign=offer, send_at=timezone.now())
    assert queue_campaign_batch(campaign_id=offer.pk) is True
    return people


def test_each_message_of_a_group_is_decided_by_its_own_persons_choices_at_hand_over(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    ana, ben, cai, dee, eve, fay = queued_campaign_to(
        *(f"{name}@example.com" for name in ("ana", "ben", "cai", "dee", "eve", "fay"))
    )
    # After queueing, before sending: each of four stops in a different way.
    unsubscribe_from_marketing(person=ben, source=Source.LINK)
    pause_marketing(person=cai, reason=PauseReason.POSSIBLE_MINOR)
    suppress_bounced_address(person=dee, channel="email")
    Person.objects.filter(pk=eve.pk).update(email_verified_at=None)

    report = deliver()

    assert sorted(message["To"] for message in smtp_sink.messages) == [
        "ana@example.com",
        "fay@example.com",
    ]
    assert report.outcomes == {"sent": 2, "suppressed": 4}
    assert statuses() == ["sent", "suppressed", "suppressed", "suppressed", "suppressed", "sent"]
    assert list(Message.objects.order_by("pk").values_list("last_error", flat=True)) == [
        "",
        "The person has not chosen to get these messages",
        "Marketing is paused while we check whether the person is under 18",
        "The address is on the suppression list (bounced)",
        "The address has not been verified",
        "",
    ]
    assert list(Message.objects.order_by("pk").values_list("attempts", flat=True)) == [
        1, 0, 0, 0, 0, 1,
    ]  # fmt: skip
    assert DeliveryAttempt.objects.filter(outcome="sent").count() == 2
    assert DeliveryAttempt.objects.count() == 2
    assert AuditEntry.objects.filter(event=Event.MESSAGE_NOT_SENT).count() == 4


def test_a_campaign_cancelled_while_a_worker_held_its_messages_sends_none_of_them(
    smtp_sink: SmtpSink, queue_only: None, settings: Settings
) -> None:
    queued_campaign_to("ana@example.com", "ben@example.com")
    claim(limit=1, now=timezone.now())  # a worker took Ana's, then stalled
    [offer] = Campaign.objects.all()
    assert cancel_campaign(campaign=offer) == 1  # Ben's, still in the queue, is withdrawn
    settings.OUTBOX = {**settings.OUTBOX, "LEASE_SECONDS": 0}

    report = deliver()  # the stalled claim returns to the queue; the hand-over sees the cancel

    assert smtp_sink.messages == []
    assert report.outcomes == {"cancelled": 1}
    assert list(Message.objects.values_list("status", "last_error").distinct()) == [
        (Status.CANCELLED, "Campaign cancelled by staff")
    ]


def test_a_connection_lost_mid_group_puts_the_untried_messages_back_without_an_attempt(
    smtp_sink: SmtpSink, queue_only: None
) -> None:
    queued_campaign_to(*(f"guest{number}@example.com" for number in range(4)))

    def close_after_the_first() -> None:
        smtp_sink.refuse_data = "421 Closing the connection"  # smtplib hangs up on 421

    smtp_sink.after_keep = close_after_the_first
    report = deliver()

    assert [message["To"] for message in smtp_sink.messages] == ["guest0@example.com"]
    # The second got the 421 (try later); the third found the line dead (it may have gone, so
    # it is set aside); the fourth was handed over but never tried: back in the queue.
    assert list(Message.objects.order_by("pk").values_list("status", "attempts")) == [
        ("sent", 1),
        ("queued", 1),
        ("in_doubt", 1),
        ("queued", 0),
    ]
    untried = Message.objects.order_by("pk").last()
    assert untried is not None
    assert untried.last_error == "Mail server unreachable"
    assert DeliveryAttempt.objects.get(message=untried).outcome == "not_sent"
    assert report.server_error == "connection lost"


def test_essential_messages_are_never_grouped_and_campaign_ones_are_grouped_in_order() -> None:
    def message(kind: str, number: int) -> Message:
        return Message(pk=number, kind=kind)

    batch = [
        message(Kind.ESSENTIAL, 1),
        message(Kind.MARKETING, 2),
        message(Kind.MARKETING, 3),
        message(Kind.MARKETING, 4),
        message(Kind.ESSENTIAL, 5),
        message(Kind.MARKETING, 6),
    ]
    assert [[m.pk for m in group] for group in _groups(batch, 2)] == [[1], [2, 3], [4], [5], [6]]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_campaign_rendered_once_is_byte_for_byte_what_rendering_each_message_gives(
    language: str, settings: Settings
) -> None:
    settings.SITE_URL = "https://goodskin.example"
    text = CampaignText(
        subject="Winter glow & <more>",
        body="Cold air dries skin.\n\nBook a facial & save — “20%”.",
        topic="offers",
    )
    renderer = MarketingRenderer()
    for _ in range(3):
        link = UnsubscribeLink(uuid.uuid4(), "offers", "email", 7)
        assert renderer.render(text=text, language=language, link=link) == render_marketing(
            text=text, language=language, link=link
        )


def test_the_unsubscribe_url_built_once_is_the_one_reverse_gives() -> None:
    for token in ("abc:def-ghi_jkl", "a.b:c", "with space and?query"):
        assert unsubscribe_url(token).endswith(reverse("communications:unsubscribe", args=[token]))
