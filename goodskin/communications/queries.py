"""Reads for the outbox, preferences, notices and campaigns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from goodskin.communications.fingerprints import Fingerprinter
from goodskin.communications.models import (
    MARKETING_TOPICS,
    Campaign,
    Channel,
    ContactPreferences,
    Interest,
    MarketingPause,
    Message,
    Notice,
    Status,
    Subscription,
    Suppression,
    SuppressionReason,
    Topic,
)
from goodskin.core.errors import NotFound
from goodskin.vault.models import Person


def topic_default(topic: str) -> bool:
    """What a person gets before they have chosen: reminders yes, marketing no."""
    return topic not in MARKETING_TOPICS


def choices_for(person: Person) -> dict[tuple[str, str], bool]:
    """Every (topic, channel) with the person's current choice or the topic's default."""
    chosen = {
        (row.topic, row.channel): row.subscribed
        for row in Subscription.objects.filter(person=person)
    }
    return {
        (topic.value, channel.value): chosen.get(
            (topic.value, channel.value), topic_default(topic.value)
        )
        for topic in Topic
        for channel in Channel
    }


def stored_preferences(person: Person, *, language: str) -> ContactPreferences:
    """The person's saved preferences, or the defaults a first save would store: reading the page
    writes nothing (the row is made when the person saves, or when a message needs its link)."""
    return ContactPreferences.objects.filter(person=person).first() or ContactPreferences(
        person=person, language=language
    )


def preferences_by_link(link_id: uuid.UUID) -> ContactPreferences | None:
    return (
        ContactPreferences.objects.select_related("person")
        .filter(link_id=link_id, person__erased_at__isnull=True)
        .first()
    )


def campaign_audience(campaign: Campaign) -> QuerySet[Person]:
    """People who chose this campaign's topic on its channel, are reachable there with a
    verified address, and match its filters. Suppression is checked again at sending."""
    people = Person.objects.filter(
        erased_at__isnull=True,
        pk__in=Subscription.objects.filter(
            topic=campaign.topic, channel=campaign.channel, subscribed=True
        ).values("person_id"),
    ).exclude(pk__in=MarketingPause.objects.filter(lifted_at__isnull=True).values("person_id"))
    if campaign.channel == Channel.EMAIL:
        people = people.filter(email__isnull=False, email_verified_at__isnull=False)
    else:
        people = people.filter(phone__isnull=False, phone_verified_at__isnull=False)
    if campaign.audience_clinic_id is not None:
        people = people.filter(contact_preferences__home_clinic_id=campaign.audience_clinic_id)
    if campaign.audience_interest_id is not None:
        people = people.filter(
            pk__in=Interest.objects.filter(service_id=campaign.audience_interest_id).values(
                "person_id"
            )
        )
    return people.order_by("pk")


@dataclass(frozen=True)
class CampaignProgress:
    audience: int
    queued: int
    waiting: int
    sent: int
    failed: int
    suppressed: int
    cancelled: int
    in_doubt: int
    unsubscribed: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.suppressed + self.cancelled

    @property
    def percent(self) -> int:
        return 100 if self.audience == 0 else min(100, round(100 * self.done / self.audience))


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    counts = dict(
        Message.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    waiting = sum(counts.get(status, 0) for status in (Status.QUEUED, Status.CLAIMED))
    return CampaignProgress(
        audience=campaign.audience_size,
        queued=sum(counts.values()),
        waiting=waiting + counts.get(Status.SENDING, 0),
        sent=counts.get(Status.SENT, 0),
        failed=counts.get(Status.FAILED, 0),
        suppressed=counts.get(Status.SUPPRESSED, 0),
        cancelled=counts.get(Status.CANCELLED, 0),
        in_doubt=counts.get(Status.IN_DOUBT, 0),
        unsubscribed=campaign.unsubscribed,
    )


@dataclass(frozen=True)
class OutboxHealth:
    waiting: int
    due_now: int
    in_doubt: int
    failed_last_day: int
    oldest_waiting: datetime | None
    last_error: str


def outbox_health(*, now: datetime) -> OutboxHealth:
    open_messages = Message.objects.filter(status__in=[Status.QUEUED, Status.CLAIMED])
    oldest = open_messages.order_by("created_at").values_list("created_at", flat=True).first()
    last_error = (
        Message.objects.filter(status=Status.QUEUED, attempts__gt=0)
        .exclude(last_error="")
        .order_by("-next_attempt_at")
        .values_list("last_error", flat=True)
        .first()
    )
    return OutboxHealth(
        waiting=open_messages.count(),
        due_now=open_messages.filter(next_attempt_at__lte=now).count(),
        in_doubt=Message.objects.filter(status=Status.IN_DOUBT).count(),
        failed_last_day=Message.objects.filter(
            status=Status.FAILED, next_attempt_at__gte=now - timedelta(days=1)
        ).count(),
        oldest_waiting=oldest,
        last_error=last_error or "",
    )


def notices_for(person: Person) -> QuerySet[Notice]:
    return Notice.objects.filter(person=person)


def unread_notice_count(person: Person) -> int:
    return Notice.objects.filter(person=person, read_at__isnull=True).count()


def access_notice(person: Person, notice_id: int) -> Notice:
    notice = Notice.objects.filter(person=person, pk=notice_id).first()
    if notice is None:
        raise NotFound
    return notice


def access_campaign(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound
    return campaign


def access_message(message_id: int) -> Message:
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise NotFound
    return message


def in_doubt_messages() -> QuerySet[Message]:
    return Message.objects.filter(status=Status.IN_DOUBT).order_by("claimed_at")


def recent_messages(*, limit: int = 50) -> QuerySet[Message]:
    return Message.objects.exclude(Q(status=Status.SENT) & Q(campaign__isnull=False)).order_by(
        "-created_at"
    )[:limit]


def belongs_to_a_child(email: str) -> bool:
    """True for an address fingerprinted when a child's information was erased."""

    fingerprint = Fingerprinter()(Channel.EMAIL, email)
    return Suppression.objects.filter(
        fingerprint=fingerprint, reason=SuppressionReason.MINOR
    ).exists()
